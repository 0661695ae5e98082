"""The demo portal at any size, and served on any interface (for containers).

    python -m demo_portal.scale build DIR --reports 1000   # + DIR/sources.yaml
    python -m demo_portal.scale serve [--reports N] [--host 0.0.0.0] [--port 8765]

A scaled site keeps the hand-written agencies (with their bad inputs) and adds copies of
them under new ids and paths until it holds N reports: formats and scripts rotate
(HTML / PDF / both, Simplified / Traditional), PDFs run from 1 to 60 pages (most short, as
real reports are) by adding figure-free paragraphs, so the truth stays the planted facts.
The generator is reused as is: the scaled agencies stand in for its registry while it runs.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import yaml

from . import generator, server
from .content import AGENCIES, Agency
from .texts import REPORTS

FORMATS = ("html", "pdf", "both")
MAX_PAGES = 60
CHARS_PER_PAGE = 700            # CJK body text on one A4 page of the generated PDFs

# Figure-free paragraphs in the genre (written for this project): they add pages, no facts.
_FILLER = (
    "坚持把法治建设摆在全局工作的重要位置，主要负责人切实履行推进法治建设第一责任人职责，班子成员分工负责，形成一级抓一级、层层抓落实的工作格局。",
    "健全重大行政决策程序，决策事项目录向社会公开，公众参与、专家论证、风险评估、合法性审查和集体讨论决定等环节落实到位。",
    "深化行政执法规范化建设，全面落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，执法案卷评查常态化开展。",
    "推进政务公开标准化规范化，主动公开政策文件和解读材料，依申请公开答复规范及时，群众获取政府信息更加便捷。",
    "加强法治宣传教育，落实谁执法谁普法责任制，结合业务工作开展以案释法，营造尊法学法守法用法的良好氛围。",
    "自觉接受人大监督和政协民主监督，认真办理代表建议和委员提案，主动听取社会各界意见建议，持续改进工作作风。",
    "完善矛盾纠纷多元化解机制，畅通行政复议和诉讼渠道，支持人民法院依法受理和审理行政案件，行政机关负责人依法出庭应诉。",
    "加强工作人员法治培训，将法律知识纳入年度学习计划，通过专题讲座、旁听庭审和网络学习等方式提升依法行政能力。",
)


def pdf_pages(agency_id: str, year: int) -> int:
    """1..60, skewed short: most reports take a few pages, a few run long."""
    u = (zlib.crc32(f"{agency_id}/{year}".encode()) % 10_000) / 10_000
    return 1 + int((MAX_PAGES - 1) * u ** 4)


def _padding(pages: int) -> str:
    n = max(0, pages - 1) * CHARS_PER_PAGE
    out: list[str] = []
    i = 0
    while sum(map(len, out)) < n:
        out.append(_FILLER[i % len(_FILLER)])
        i += 1
    return "\n".join(out)


def _copy(a: Agency, k: int) -> Agency:
    """A copy that loads fine: the bad inputs stay with the hand-written agency only
    (reports without a text of their own, the planted failures, are left out)."""
    reports = tuple(replace(r, failure="", fmt=FORMATS[(k + i) % 3],
                            script="hant" if (k + i) % 4 == 3 else "hans")
                    for i, r in enumerate(a.reports) if (a.id, r.year) in REPORTS)
    return replace(a, id=f"{a.id}-{k:05d}", path=f"{a.path}{k:05d}", reports=reports)


def scaled_agencies(n_reports: int) -> tuple[Agency, ...]:
    """The hand-written agencies, then copies until the site holds >= n_reports reports.
    Registers each copy's texts (with PDF padding) in the generator's text table."""
    out = list(AGENCIES)
    total, k = sum(len(a.reports) for a in AGENCIES), 0
    while total < n_reports:
        base = AGENCIES[k % len(AGENCIES)]
        c = _copy(base, k)
        k += 1
        if not c.reports:
            continue
        for r in c.reports:
            text = REPORTS[(base.id, r.year)]
            if r.fmt != "html":
                text = text + "\n" + _padding(pdf_pages(c.id, r.year))
            REPORTS[(c.id, r.year)] = text
        out.append(c)
        total += len(c.reports)
    return tuple(out)


@contextmanager
def _registry(agencies: tuple[Agency, ...]) -> Iterator[None]:
    """Let the generator build `agencies` instead of its own registry."""
    saved = generator.AGENCIES
    generator.AGENCIES = agencies
    try:
        yield
    finally:
        generator.AGENCIES = saved


def build_scaled_site(root: Path, n_reports: int) -> Path:
    """Build (once: reused when DIR/.reports says the same N) and write DIR/sources.yaml."""
    root = Path(root)
    stamp = root / ".reports"
    if stamp.exists() and stamp.read_text() == str(n_reports):
        return root
    agencies = scaled_agencies(n_reports)
    with _registry(agencies):
        generator.build_site(root)
        entries = generator.source_entries()
    (root / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True,
                                                      sort_keys=False, width=200), encoding="utf-8")
    stamp.write_text(str(n_reports))
    return root


def serve(root: Path, host: str, port: int) -> None:
    """Serve a built site on host:port until interrupted (any interface, unlike Portal)."""
    portal = server.Portal(root, port)
    handler = type("PortalHandler", (server._Handler,), {"portal": portal})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    print(f"serving {root} on http://{host}:{httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m demo_portal.scale")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a site of N reports into DIR")
    b.add_argument("dir", type=Path)
    b.add_argument("--reports", type=int, default=1000)
    s = sub.add_parser("serve", help="build (into a temp dir unless --root) and serve")
    s.add_argument("--root", type=Path)
    s.add_argument("--reports", type=int, default=0, help="0: the hand-written portal only")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    args = ap.parse_args(argv)
    if args.command == "build":
        t0 = time.monotonic()
        build_scaled_site(args.dir, args.reports)
        print(f"{args.dir}: {args.reports} reports in {time.monotonic() - t0:.1f}s")
        return 0
    root = args.root or Path(tempfile.mkdtemp(prefix="portal-"))
    if args.reports:
        build_scaled_site(root, args.reports)
    elif not (root / "truth.jsonl").exists():
        generator.build_site(root)
    serve(root, args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
