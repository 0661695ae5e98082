"""Per shard: discover (listing pages -> report refs) and fetch (articles and their
attachments into the raw store)."""
from __future__ import annotations

import logging
import time

from .. import fetch as fetch_mod
from ..discovery import discover, get_source
from ..discovery.getter import page_getter
from ..http import BudgetExhausted, Http, shared_http
from ..records import ErrorRow, Listed
from ..runstore import DISCOVERED, DISCOVERY, ERRORS, FETCHED, RunStore
from ..settings import Settings, load_settings
from ..discovery.memo import Learned, PageMemo
from ..discovery.render import renderer_for
from ..store import BlobStore, Validators
from .plan import as_ids as _ids
from .plan import run_params

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


def _discover_source(run_id: str, source_id: str, settings: Settings, http: Http,
                     year: int | None = None) -> None:
    source = get_source(settings, source_id)
    store, cache = BlobStore(settings.raw_dir), Validators.for_source(settings, source_id)
    memo, learned = PageMemo.for_source(settings, source_id), Learned.for_source(settings, source_id)
    budget, t0 = settings.source_budget_s, time.monotonic()   # the source's night: its listing counts too
    with http.deadline(budget, f"the source's budget of {budget:g}s (ETL_SOURCE_BUDGET)", BudgetExhausted):
        found = discover(source, page_getter(source, http, store, cache, memo), settings.max_pages,
                         settings.max_documents, memo, renderer_for(settings, http), learned)
    run = RunStore(settings, run_id)
    run.record_discover_time(source_id, time.monotonic() - t0)
    cache.save()
    memo.save()
    learned.save()
    if year:                                   # a backfill of one report year: its reports only
        found.refs = [r for r in found.refs if r.report_year in (None, year)]
    run.write(DISCOVERED, source_id, found.refs, keep_empty=True)   # empty: listed none (fetch reads it)
    run.write(DISCOVERY, source_id, found.listed)
    errors = [ErrorRow(source_id, source.listing_url, "listing", f"listing failed: {found.listing_error}")
              ] if found.listing_error else []
    errors += [ErrorRow(source_id, url, "listing", f"listing page failed: {err}") for url, err in found.page_errors]
    # nothing silent: an empty listing, or one far shorter than last night's (not red)
    errors += [ErrorRow(source_id, source.listing_url, "listing_warning", w) for w in found.warnings]
    run.write(ERRORS, source_id, errors, part="listing")
    log.info("%s: %d pages (%d rendered), %d items, %d reports%s", source_id, found.pages, found.rendered,
             len(found.listed), len(found.refs),
             f", listing failed: {found.listing_error}" if found.listing_error else "")


def _record_refusals(run: RunStore, source_id: str, fetched: list) -> None:
    """What fetch refused or lost goes to the source's discovery record beside the
    listing's decisions, by its own kind (robots-refused, off-host, too-large, timeout,
    not-a-document...; etl.http.ERROR_KINDS): a listed report's decision becomes the kind."""
    listed = run.read(DISCOVERY, source_id)
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
    run.write(DISCOVERY, source_id, listed)


def fetch_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None) -> list[str]:
    settings = settings or load_settings()
    http = shared_http(settings)
    params = run_params(settings, run_id)
    # a full recheck, or a backfill of a report year, asks again for every known report
    full = bool(params.get("full_recheck") or params.get("report_year"))
    run = RunStore(settings, run_id)

    def fetch_one_source(sid: str) -> None:
        refs = run.read(DISCOVERED, sid, required=True)
        fetched = fetch_mod.fetch_source(refs, get_source(settings, sid), settings, http, full_recheck=full,
                                         budget_s=settings.source_budget_s - run.discover_time(sid))
        run.write(FETCHED, sid, fetched, keep_empty=True)          # process reads it
        _record_refusals(run, sid, fetched)
    return _each_source(source_ids, "fetch", fetch_one_source)
