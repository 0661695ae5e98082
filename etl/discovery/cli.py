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
    from .getter import page_getter
    # scratch validators (never saved): checking must not change what tonight's run asks for
    cache = Validators.scratch(source.id)
    return page_getter(source, http, BlobStore(settings.raw_dir), cache)


def check(ids: list[str], settings: Settings | None = None, out=sys.stdout, progress=None) -> int:
    """Validate the registry, then try each listing and print what it would take."""
    from ..progress import Progress
    settings = settings or load_settings()
    progress = progress or Progress(enabled=False)
    sources, problems = read_registry(settings.sources_file, settings.portal_url, settings.state_dir)
    for p in problems:
        print(f"ERROR {p}", file=out)
    chosen = [s for s in sources if not ids or s.id in ids]
    unknown = set(ids) - {s.id for s in sources} - {p.source_id for p in problems}
    for sid in sorted(unknown):
        print(f"ERROR source {sid}: not in {settings.sources_file}", file=out)
    failed = bool(problems or unknown)
    n_reports = n_failed = 0
    with Http(settings) as http:
        for i, src in enumerate(chosen, 1):
            progress(f"sources check: [{i}/{len(chosen)}] {src.id} ... ({n_reports} reports so far, "
                     f"{n_failed} listings failed)")
            d = discover(src, _getter(settings, src, http), settings.max_pages, settings.max_documents,
                         renderer=renderer_for(settings, http))
            progress.clear()
            n_reports += len(d.refs)
            n_failed += bool(d.listing_error)
            decisions: dict[str, int] = {}
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
    progress.done(f"sources check: {len(chosen)} sources, {n_reports} reports listed, {n_failed} listings failed")
    return 1 if failed else 0


def find(url: str, settings: Settings | None = None, max_pages: int = 40, out=sys.stdout) -> int:
    """Print registry entries for the report columns found from a department's home page."""
    from ..cli_errors import NETWORK, CliError
    from ..http import REFUSED
    from ..records import Source
    settings = settings or load_settings()
    check_url(url)
    probe = Source(id="_find", agency="", listing_url=url)
    failures: list[tuple[str, str, str]] = []
    with Http(settings) as http:
        renderer = renderer_for(settings, http)
        render = None
        if renderer is not None:
            def render(req, renderer=renderer):
                return renderer.render(replace(probe, allowed_hosts=()), req, 3)
        entries = find_columns(url, _getter(settings, probe, http), max_pages, failures=failures, render=render)
        release(http)
    if not entries and failures and failures[0][0] == url:     # the home page itself failed
        _, error, kind = failures[0]
        if kind not in REFUSED:                                # refused connection, DNS, timeout, HTTP error
            raise CliError(f"cannot fetch {url}: {error}", NETWORK)
        print(f"# {url} was not read ({kind}): {error}", file=out)   # a refusal (robots.txt ...)
        return 1
    if not entries:
        print(f"# no report column found within {max_pages} pages of {url}"
              + (f" ({len(failures)} pages could not be fetched)" if failures else ""), file=out)
        return 1
    for e in entries:
        print(f"# {e['reports_seen']} reports listed ({', '.join(e['kinds'])})", file=out)
        entry = {k: e[k] for k in ("id", "agency", "listing_url")}
        print(yaml.safe_dump([entry], allow_unicode=True, sort_keys=False).rstrip(), file=out)
    return 0


def check_url(url: str) -> None:
    """A URL people type: `www.x.gov.cn` lacks its scheme (suggest https://)."""
    from urllib.parse import urlsplit
    from ..cli_errors import NETWORK, CliError
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as e:
        raise CliError(f"{url!r} is not a URL: {e}", NETWORK) from None
    if not parts.scheme or (parts.scheme not in ("http", "https") and not parts.netloc):
        raise CliError(f"{url!r} has no scheme: did you mean https://{url.lstrip('/')} ?", NETWORK)
    if parts.scheme not in ("http", "https"):
        raise CliError(f"{url!r}: only http:// and https:// URLs can be read", NETWORK)
    if not host:
        raise CliError(f"{url!r} has no host name", NETWORK)


def main(args) -> int:
    settings = load_settings()
    if getattr(args, "no_pause", False):
        settings = replace(settings, politeness_s=0)
    if args.action == "check":
        from ..progress import Progress
        return check(args.ids, settings, progress=Progress())
    return find(args.url, settings, args.max_pages)
