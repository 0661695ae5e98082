"""Demo portal: a local stand-in for government web sites publishing yearly
法治政府建设 reports, with ground truth of every statistic planted in them.

    from demo_portal import build_site, Portal
    root = build_site(tmp_path / "site")
    with Portal(root) as portal:
        portal.base_url   # http://127.0.0.1:<port>
"""
from .generator import build_site, render_sources_yaml, source_entries
from .server import Portal, serve_forever

__all__ = ["Portal", "build_site", "render_sources_yaml", "serve_forever", "source_entries"]
