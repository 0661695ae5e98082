"""`python -m etl reprocess`: re-parse, re-extract and re-validate loaded documents from the
raw archive (no download), e.g. after a new extractor version, for some sources or a year.
It is a run like any other (its own run id, the same validate -> load -> alert -> verdict),
so the replaced facts go to raw.fact_versions and stay queryable."""
from __future__ import annotations

import json
import time

from ..runstore import FETCHED, PLAN, RunStore
from ..settings import Settings, load_settings


def _version_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in (v or "0").replace("-", ".").split("."))


def select_documents(settings: Settings, since: str | None, source: list[str] | None,
                     year: int | None) -> tuple[dict[str, list[dict]], int]:
    """{source_id: [fetch records]} of loaded documents extracted before `since` (default:
    the current extractor version; "all": every one), and how many lack a fetch record."""
    from ..extract import EXTRACTOR_VERSION
    from ..load.lock import connect
    if not settings.warehouse.exists():
        return {}, 0
    con = connect(settings.warehouse, read_only=True)
    try:
        rows = con.execute("SELECT source_id, extractor_version, report_year, fetched FROM raw.documents").fetchall()
    finally:
        con.close()
    limit = None if since == "all" else _version_key(since or EXTRACTOR_VERSION)
    out: dict[str, list[dict]] = {}
    missing = 0
    for sid, ver, y, fetched in rows:
        if (source and sid not in source) or (year is not None and y != year):
            continue
        if limit is not None and _version_key(ver or "") >= limit:
            continue
        if not fetched:
            missing += 1              # loaded before fetch records were kept: needs a crawl
            continue
        out.setdefault(sid, []).append({**json.loads(fetched), "source_id": sid, "status": "fetched"})
    return out, missing


def reprocess(since: str | None = None, source: list[str] | None = None, year: int | None = None,
              settings: Settings | None = None, run_id: str | None = None, progress=None) -> dict:
    from .alert import alert_task
    from .finish import finish_task
    from .load import load_task
    from .process import process_task
    from .validate import validate_task
    settings = settings or load_settings()
    run_id = run_id or time.strftime("reprocess__%Y%m%dT%H%M%S")
    chosen, missing = select_documents(settings, since, source, year)
    run = RunStore(settings, run_id)
    run.put(PLAN, sorted(chosen), indent=None)
    say = progress or (lambda _: None)
    for i, (sid, recs) in enumerate(chosen.items(), 1):
        say(f"reprocess: [{i}/{len(chosen)}] {sid}: {len(recs)} documents ...")
        run.write(FETCHED, sid, recs, keep_empty=True)
        process_task(run_id, sid, settings, force=True)
    counts: dict = {}
    if chosen:
        say(f"validate: {sum(map(len, chosen.values()))} documents from {len(chosen)} sources ...")
        validate_task(run_id, settings)
        say("load ...")
        counts = load_task(run_id, settings)
        say(f"alert: {counts.get('facts_loaded', 0)} facts loaded ...")
        alert_task(run_id, settings)
        say("finish ...")
        finish_task(run_id, settings)
    return {"run_id": run_id, "documents": sum(map(len, chosen.values())), "without_fetch_record": missing, **counts}
