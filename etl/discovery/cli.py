"""`python -m etl sources check [ID...]` and `python -m etl sources find URL`."""
from __future__ import annotations

import sys
from dataclasses import replace

import yaml

from ..http import Http
from ..settings import Settings, load_settings
from ..store import BlobStore, Validators
from .find import find_columns
from .render import release, renderer_for
from .registry import read_registry
from .walk import discover


def _getter(settings: Settings, source, http: Http):
    from ..pipeline.crawl import page_getter
    # a scratch validator file: checking must not change what tonight's run asks for
    cache = Validators(settings.state_dir / "http" / f"_check_{source.id}.json")
    return page_getter(source, http, BlobStore(settings.raw_dir), cache)


def check(ids: list[str], settings: Settings | None = None, out=sys.stdout) -> int:
    """Validate the registry, then try each listing and print what it would take."""
    settings = settings or load_settings()
    sources, problems = read_registry(settings.sources_file, settings.portal_url)
    for p in problems:
        print(f"ERROR {p}", file=out)
    chosen = [s for s in sources if not ids or s.id in ids]
    unknown = set(ids) - {s.id for s in sources} - {p.source_id for p in problems}
    for sid in sorted(unknown):
        print(f"ERROR source {sid}: not in {settings.sources_file}", file=out)
    failed = bool(problems or unknown)
    with Http(settings) as http:
        for src in chosen:
            d = discover(src, _getter(settings, src, http), settings.max_pages, settings.max_documents,
                         renderer=renderer_for(settings, http))
            decisions = {}
            for x in d.listed:
                decisions[x.decision] = decisions.get(x.decision, 0) + 1
            head = f"{src.id} ({src.agency}, {src.province or '?'}, {src.level or '?'}): {d.pages} pages, " + \
                   ", ".join(f"{n} {k}" for k, n in sorted(decisions.items()))
            print(head, file=out)
            if d.rendered:
                print(f"  rendered in the browser: {d.rendered} page(s)", file=out)
            for w in d.warnings:
                print(f"  WARNING {w}", file=out)
            if d.listing_error:
                print(f"  LISTING FAILED: {d.listing_error}", file=out)
                failed = True
            for url, err in d.page_errors:
                print(f"  page failed: {url}: {err}", file=out)
            for r in d.refs:
                print(f"  report {r.kind:<11} {r.report_year or '????'} {r.title}  {r.url}", file=out)
            if not d.refs and not d.listing_error:
                print("  no report listed (check include/exclude or the listing URL)", file=out)
        release(http)
    return 1 if failed else 0


def find(url: str, settings: Settings | None = None, max_pages: int = 40, out=sys.stdout) -> int:
    """Print registry entries for the report columns found from a department's home page."""
    from ..records import Source
    settings = settings or load_settings()
    probe = Source(id="_find", agency="", listing_url=url)
    with Http(settings) as http:
        renderer = renderer_for(settings, http)
        render = None
        if renderer is not None:
            def render(req, renderer=renderer):
                return renderer.render(replace(probe, allowed_hosts=()), req, 3)
        entries = find_columns(url, _getter(settings, probe, http), max_pages, render)
        release(http)
    if not entries:
        print(f"# no report column found within {max_pages} pages of {url}", file=out)
        return 1
    for e in entries:
        print(f"# {e['reports_seen']} reports listed ({', '.join(e['kinds'])})", file=out)
        entry = {k: e[k] for k in ("id", "agency", "listing_url")}
        print(yaml.safe_dump([entry], allow_unicode=True, sort_keys=False).rstrip(), file=out)
    return 0


def main(args) -> int:
    settings = load_settings()
    if getattr(args, "no_pause", False):
        settings = replace(settings, politeness_s=0)
    if args.action == "check":
        return check(args.ids, settings)
    return find(args.url, settings, args.max_pages)
