"""Per shard: discover (listing pages -> report refs) and fetch (articles and their
attachments into the raw store)."""
from __future__ import annotations

import logging
import time

from .. import fetch as fetch_mod
from ..discovery import Page, PageRequest, discover, get_source
from ..discovery.walk import PageGetter
from ..http import BudgetExhausted, Http, decode_html, shared_http
from ..records import DocRef, Listed, Source, read_jsonl
from ..settings import Settings, load_settings
from ..discovery.memo import Learned, PageMemo
from ..discovery.render import renderer_for
from ..store import BlobStore, Validators, get_resource
from .plan import run_params
from .staging import as_ids as _ids
from .staging import stage_dir as _dir
from .staging import upstream as _upstream
from .staging import read_json, write_json, write_jsonl

log = logging.getLogger(__name__)


def discover_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None) -> list[str]:
    settings = settings or load_settings()
    http = shared_http(settings)                 # one client per worker process: connections reused
    year = run_params(settings, run_id).get("report_year")
    return _each_source(source_ids, "discover",
                        lambda sid: _discover_source(run_id, sid, settings, http, int(year) if year else None))


def _each_source(source_ids: str | list[str], step: str, work) -> list[str]:
    """Run `work` for every source of the shard; a source that raises (a bug, not a recorded
    failure) is dropped from what goes on, so it alone ends unfinished (plan.missing_sources:
    red, named in the alert) and the shard's other sources still finish tonight."""
    done = []
    for sid in _ids(source_ids):
        try:
            work(sid)
        except Exception:
            log.exception("%s of source %s crashed: the source is left unfinished tonight", step, sid)
            continue
        done.append(sid)
    return done


def page_getter(source: Source, http: Http, store: BlobStore, cache: Validators,
                memo: PageMemo | None = None) -> PageGetter:
    """Listing pages for the walker: GETs answer 304 when unchanged (conditional, from the
    raw store), POSTs (data proxies, form pagers) are asked each time. A 304 whose findings
    the memo holds comes back with them, its stored bytes not even read."""
    hosts = source.hosts

    def get_page(req: PageRequest) -> Page:
        sha = ""
        if req.method == "POST":
            r = http.request("POST", req.url, data=dict(req.data), allowed_hosts=hosts, json_body=req.json_body)
            content, ctype, final = r.content, r.headers.get("content-type", ""), r.url
        else:
            res = get_resource(req.url, http, store, cache, hosts)
            sha, ctype, final = res.sha256, res.content_type, res.final_url
            if memo is not None and not res.changed:
                page = Page(req, final, b"", ctype, sha256=sha)
                page.found = memo.get(page)
                if page.found is not None:
                    return page
            content = store.get(sha)
        return Page(req, final, content, ctype, decode_html(content, ctype), sha256=sha)

    def remember(url: str, r) -> None:
        """A GET the browser had answered: stored with its validators, as get_resource would."""
        sha = store.put(r.content)
        cache.data[url] = {"etag": r.headers.get("etag", ""), "last_modified": r.headers.get("last-modified", ""),
                           "sha256": sha, "content_type": r.headers.get("content-type", ""), "final_url": r.url,
                           "disposition": r.headers.get("content-disposition", "")}
    get_page.remember = remember  # type: ignore[attr-defined]  # read by etl/discovery/render.py (a function attribute)
    return get_page


def _discover_source(run_id: str, source_id: str, settings: Settings, http: Http,
                     year: int | None = None) -> None:
    source = get_source(settings, source_id)
    store, cache = BlobStore(settings.raw_dir), Validators.for_source(settings, source_id)
    memo, learned = PageMemo.for_source(settings, source_id), Learned.for_source(settings, source_id)
    budget, t0 = settings.source_budget_s, time.monotonic()   # the source's night: its listing counts too
    with http.deadline(budget, f"the source's budget of {budget:g}s (ETL_SOURCE_BUDGET)", BudgetExhausted):
        found = discover(source, page_getter(source, http, store, cache, memo), settings.max_pages,
                         settings.max_documents, memo, renderer_for(settings, http), learned)
    write_json(_dir(settings, run_id, "budget") / f"{source_id}.json", {"discover_s": time.monotonic() - t0})
    cache.save()
    memo.save()
    learned.save()
    if year:                                   # a backfill of one report year: its reports only
        found.refs = [r for r in found.refs if r.report_year in (None, year)]
    write_jsonl(_dir(settings, run_id, "discovered") / f"{source_id}.jsonl", found.refs)
    write_jsonl(_dir(settings, run_id, "discovery") / f"{source_id}.jsonl", found.listed)
    errors = [{"source_id": source_id, "url": source.listing_url, "stage": "listing",
               "error": f"listing failed: {found.listing_error}"}] if found.listing_error else []
    errors += [{"source_id": source_id, "url": url, "stage": "listing",
                "error": f"listing page failed: {err}"} for url, err in found.page_errors]
    # nothing silent: an empty listing, or one far shorter than last night's (not red)
    errors += [{"source_id": source_id, "url": source.listing_url, "stage": "listing_warning",
                "error": w} for w in found.warnings]
    write_jsonl(_dir(settings, run_id, "errors") / f"{source_id}.listing.jsonl", errors)
    log.info("%s: %d pages (%d rendered), %d items, %d reports%s", source_id, found.pages, found.rendered,
             len(found.listed), len(found.refs),
             f", listing failed: {found.listing_error}" if found.listing_error else "")


def _record_refusals(settings: Settings, run_id: str, source_id: str, fetched: list) -> None:
    """What fetch refused or lost goes to the source's discovery record beside the
    listing's decisions, by its own kind (robots-refused, off-host, too-large, timeout,
    not-a-document...; etl.http.ERROR_KINDS): a listed report's decision becomes the kind."""
    path = _dir(settings, run_id, "discovery") / f"{source_id}.jsonl"
    listed = list(read_jsonl(path, Listed))
    by_url = {x.url: x for x in listed}
    for f in fetched:
        if f.status in ("refused", "error") and f.url in by_url:
            x = by_url[f.url]
            x.decision = f.error_kind or ("failed" if f.status == "error" else
                                          "robots-refused" if "robots.txt" in f.error else "off-host")
            x.reason = f.error
        lost = [a for a in f.attachments if a.get("refused")]    # kept (its error read by parse), lost
        for a in f.refused_links + lost:
            listed.append(Listed(source_id, a["url"], a.get("text", ""), a.get("refused") or "not-a-document",
                                 a.get("error", ""), listing_url=f.url, via="attachment"))
    write_jsonl(path, listed)


def fetch_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None) -> list[str]:
    settings = settings or load_settings()
    http = shared_http(settings)
    params = run_params(settings, run_id)
    # a full recheck, or a backfill of a report year, asks again for every known report
    full = bool(params.get("full_recheck") or params.get("report_year"))
    def fetch_one_source(sid: str) -> None:
        refs = list(read_jsonl(_upstream(settings, run_id, "discovered", sid), DocRef))
        spent = (read_json(_dir(settings, run_id, "budget") / f"{sid}.json", {}) or {}).get("discover_s", 0.0)
        fetched = fetch_mod.fetch_source(refs, get_source(settings, sid), settings, http, full_recheck=full,
                                         budget_s=settings.source_budget_s - spent)
        write_jsonl(_dir(settings, run_id, "fetched") / f"{sid}.jsonl", fetched)
        _record_refusals(settings, run_id, sid, fetched)
    return _each_source(source_ids, "fetch", fetch_one_source)
