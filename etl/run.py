"""The nightly run as plain functions, one per DAG task, passing files in the run's
staging folder (`<data>/staging/<run_id>/`). Nothing here imports Airflow: the DAG only
wires these, and `python -m etl run` calls them in order without it.

Per shard of sources (a mapped task group in the DAG): discover -> fetch -> process
(parse, inspect, normalize + extract). Then for the whole run: validate -> load (the only
DuckDB writer) -> alert.
"""
from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from . import fetch as fetch_mod
from . import parse as parse_mod
from .http import Http
from .records import DocRef, Fact, Fetched, Parsed, Source, read_jsonl, write_jsonl
from .settings import Settings, load_settings
from .sources import discover, get_source, load_registry
from .store import BlobStore, Validators, get_blob

log = logging.getLogger(__name__)


def _upstream(settings: Settings, run_id: str, stage: str, source_id: str) -> Path:
    """The previous stage's file for a source. Missing means this worker does not see the
    run's staging folder (ETL_DATA_DIR must be shared storage): fail loudly, never run empty."""
    p = settings.staging(run_id) / stage / f"{source_id}.jsonl"
    if not p.exists():
        raise FileNotFoundError(f"{p} not found: did '{stage}' run for {source_id}, "
                                f"and is ETL_DATA_DIR ({settings.data_dir}) shared by all workers?")
    return p


def _dir(settings: Settings, run_id: str, stage: str) -> Path:
    d = settings.staging(run_id) / stage
    d.mkdir(parents=True, exist_ok=True)
    return d


def _loaded_path(settings: Settings) -> Path:
    return settings.state_dir / "loaded.json"


def loaded_versions(settings: Settings) -> dict[str, list[str]]:
    """{doc_id: [content_sha256, extractor_version]} as committed by the last load."""
    p = _loaded_path(settings)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


# --- per source -------------------------------------------------------------------------

MAX_SHARDS = 1000   # below Airflow's core.max_map_length (1024)


class IncompleteRun(RuntimeError):
    """Some sources were planned but never processed (their shard failed for good)."""


def plan(settings: Settings | None = None, run_id: str | None = None) -> list[list[str]]:
    """Source ids in shards of `ETL_SHARD_SIZE` (more per shard if that would exceed
    MAX_SHARDS): one mapped task group per shard keeps the task count sane at 100k
    sources while shards still spread over Celery workers. With a run id, the run's
    staging folder starts empty (a cleared, re-run DAG run never reads stale files) and the
    plan is recorded so the alert can tell which sources never finished."""
    settings = settings or load_settings()
    ids = [s.id for s in load_registry(settings.sources_file, settings.portal_url)]
    size = max(settings.shard_size, -(-len(ids) // MAX_SHARDS))
    if run_id:
        shutil.rmtree(settings.staging(run_id), ignore_errors=True)
        write_json_atomic(settings.staging(run_id) / "plan.json", ids)
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def missing_sources(settings: Settings, run_id: str) -> list[str]:
    """Planned sources whose `process` output is missing."""
    p = settings.staging(run_id) / "plan.json"
    planned = json.loads(p.read_text(encoding="utf-8")) if p.exists() else []
    done = {f.stem for f in (settings.staging(run_id) / "documents").glob("*.jsonl")}
    return [sid for sid in planned if sid not in done]


def _ids(source_ids: str | list[str]) -> list[str]:
    return [source_ids] if isinstance(source_ids, str) else list(source_ids)


def discover_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None) -> list[str]:
    settings = settings or load_settings()
    for sid in _ids(source_ids):
        _discover_source(run_id, sid, settings)
    return _ids(source_ids)


def _discover_source(run_id: str, source_id: str, settings: Settings) -> None:
    source = get_source(settings, source_id)
    store, cache = BlobStore(settings.raw_dir), Validators.for_source(settings, source_id)

    def get_page(url: str) -> tuple[bytes, str]:      # listing pages answer 304 when unchanged
        sha, ctype = get_blob(url, http, store, cache)
        return store.get(sha), ctype

    with Http(settings) as http:
        refs = discover(source, get_page)
    cache.save()
    out = _dir(settings, run_id, "discovered") / f"{source_id}.jsonl"
    write_jsonl(out, refs)
    log.info("%s: %d reports listed", source_id, len(refs))


def fetch_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None) -> list[str]:
    settings = settings or load_settings()
    with Http(settings) as http:
        for sid in _ids(source_ids):
            refs = list(read_jsonl(_upstream(settings, run_id, "discovered", sid), DocRef))
            fetched = fetch_mod.fetch_source(refs, sid, settings, http)
            write_jsonl(_dir(settings, run_id, "fetched") / f"{sid}.jsonl", fetched)
    return _ids(source_ids)


def _document_row(p: Parsed, meta: dict, extractor_version: str) -> dict:
    row = asdict(p)
    row.update(report_year=p.report_year, script=p.script, extractor_version=extractor_version,
               inferred_agency=meta.get("agency", ""), inferred_province=meta.get("province", ""))
    return row


def _fact_rows(facts: list[Fact], p: Parsed, source: Source, meta: dict) -> list[dict]:
    rows = []
    for i, f in enumerate(facts):
        r = asdict(f)
        r.update(fact_id=f"{p.doc_id}-{i:04d}", doc_id=p.doc_id, seq=i, doc=p.doc_id,
                 agency=source.agency or meta.get("agency", ""),
                 province=source.province or meta.get("province", ""),
                 province_code=source.province_code or meta.get("province_code", ""),
                 report_year=p.report_year)
        rows.append(r)
    return rows


def process_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None) -> list[str]:
    """Parse, normalize and extract every fetched report that is new or changed (content
    or extractor version) since the last load."""
    settings = settings or load_settings()
    loaded = loaded_versions(settings)
    for sid in _ids(source_ids):
        _process_source(run_id, sid, settings, loaded)
    return _ids(source_ids)


def _process_document(f: Fetched, source: Source, store: BlobStore, version: str,
                      errors: list[dict]) -> tuple[dict, list[dict]] | None:
    """Parse, inspect and extract one report: (document row, fact rows), or None if it
    has no text. Parse problems are appended to `errors`."""
    from .extract import extract_facts
    from .metadata import inspect_text
    p = parse_mod.parse_fetched(f, store.get)
    if p.error:
        errors.append({"source_id": source.id, "url": f.url, "stage": "parse", "error": p.error})
    if not p.text.strip():
        return None
    hint = {"agency": source.agency, "province": source.province,
            "province_code": source.province_code, "city": source.city, "county": source.county}
    meta = inspect_text(p.text, p.title, hint)
    p.report_year, p.script = meta.get("report_year"), meta.get("script", "hans")
    facts = extract_facts(p.text, p.doc_id)
    return _document_row(p, meta, version), _fact_rows(facts, p, source, meta)


def _process_source(run_id: str, source_id: str, settings: Settings, loaded: dict[str, list[str]]) -> None:
    from .extract import EXTRACTOR_VERSION
    source = get_source(settings, source_id)
    store = BlobStore(settings.raw_dir)
    docs, facts, errors, skipped = [], [], [], 0
    for f in read_jsonl(_upstream(settings, run_id, "fetched", source_id), Fetched):
        if f.status == "error":
            errors.append({"source_id": source_id, "url": f.url, "stage": "fetch", "error": f.error})
            continue
        doc_id = parse_mod.doc_id_of(source_id, f.url)
        if loaded.get(doc_id) == [parse_mod.content_sha_of(f), EXTRACTOR_VERSION]:
            skipped += 1                       # unchanged since it was loaded: no work
            continue
        try:
            doc = _process_document(f, source, store, EXTRACTOR_VERSION, errors)
        except Exception as e:                 # a bug or a corrupt blob: this document only
            log.exception("processing failed: %s", f.url)
            errors.append({"source_id": source_id, "url": f.url, "stage": "process",
                           "error": f"{type(e).__name__}: {e}"})
            continue
        if doc:
            docs.append(doc[0])
            facts += doc[1]
    write_jsonl(_dir(settings, run_id, "documents") / f"{source_id}.jsonl", docs)
    write_jsonl(_dir(settings, run_id, "facts") / f"{source_id}.jsonl", facts)
    write_jsonl(_dir(settings, run_id, "errors") / f"{source_id}.jsonl", errors)
    write_jsonl(_dir(settings, run_id, "skipped") / f"{source_id}.jsonl", [{"n": skipped}])
    log.info("%s: %d documents processed, %d unchanged, %d facts, %d errors",
             source_id, len(docs), skipped, len(facts), len(errors))


# --- whole run --------------------------------------------------------------------------

def _read_stage(settings: Settings, run_id: str, stage: str) -> pd.DataFrame:
    rows = []
    for p in sorted((settings.staging(run_id) / stage).glob("*.jsonl")):
        with p.open(encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return pd.DataFrame(rows)


def validate_task(run_id: str, settings: Settings | None = None) -> dict:
    from .validate import validate_facts
    settings = settings or load_settings()
    facts = _read_stage(settings, run_id, "facts")
    outcome = validate_facts(facts, settings.suite_file)
    out = settings.staging(run_id)
    outcome.passed.to_parquet(out / "facts_valid.parquet", index=False)
    outcome.quarantined.to_parquet(out / "facts_quarantined.parquet", index=False)
    (out / "validation.json").write_text(json.dumps(outcome.summary, ensure_ascii=False, default=str, indent=1),
                                         encoding="utf-8")
    return {k: outcome.summary.get(k) for k in ("n_rows", "n_passed", "n_quarantined", "success")}


def _count_records(settings: Settings, run_id: str, stage: str) -> int:
    """Records of a stage, counted without parsing them (documents carry whole texts)."""
    n = 0
    for p in (settings.staging(run_id) / stage).glob("*.jsonl"):
        with p.open(encoding="utf-8") as f:
            n += sum(1 for line in f if line.strip())
    return n


def run_counts(settings: Settings, run_id: str, errors: pd.DataFrame) -> dict:
    st = settings.staging(run_id)
    fetched = _read_stage(settings, run_id, "fetched")
    skipped = _read_stage(settings, run_id, "skipped")
    summary = json.loads((st / "validation.json").read_text(encoding="utf-8")) if (st / "validation.json").exists() else {}
    return {
        "documents_found": _count_records(settings, run_id, "discovered"),
        "documents_fetched": int((fetched.get("status", pd.Series(dtype=str)) != "error").sum()) if len(fetched) else 0,
        "documents_unchanged": int(skipped["n"].sum()) if len(skipped) else 0,
        "documents_parsed": _count_records(settings, run_id, "documents"),
        "documents_failed": int(errors["url"].nunique()) if len(errors) else 0,
        "facts_extracted": summary.get("n_rows", 0),
        "facts_validated": summary.get("n_passed", 0),
        "facts_quarantined": summary.get("n_quarantined", 0),
    }


def _facts_for_load(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"start": "start_pos", "end": "end_pos", "part_of": "part_of_seq"})


def load_task(run_id: str, settings: Settings | None = None) -> dict:
    from .load import Batch, load_batch
    settings = settings or load_settings()
    st = settings.staging(run_id)
    sources = pd.DataFrame([asdict(s) for s in load_registry(settings.sources_file, settings.portal_url)])
    sources = sources.rename(columns={"id": "source_id"})
    errors = _read_stage(settings, run_id, "errors")
    counts = run_counts(settings, run_id, errors)
    facts = _facts_for_load(pd.read_parquet(st / "facts_valid.parquet"))
    counts["facts_loaded"] = len(facts)
    batch = Batch(run_id=run_id, sources=sources, documents=_read_stage(settings, run_id, "documents"),
                  facts=facts, quarantine=pd.read_parquet(st / "facts_quarantined.parquet"),
                  errors=errors, counts=counts)
    loaded = load_batch(settings.warehouse, settings.sql_dir, batch)
    # Only after the commit: tomorrow's run skips what is now safely in the warehouse.
    write_json_atomic(_loaded_path(settings), loaded)
    (st / "counts.json").write_text(json.dumps(counts, ensure_ascii=False, indent=1), encoding="utf-8")
    return counts


def write_json_atomic(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def alert_task(run_id: str, settings: Settings | None = None) -> list[str]:
    """One alert per run when something needs a person: the run stopped early, sources
    never finished, data quality failed, or documents could not be read. Raises
    IncompleteRun after alerting when sources are missing, so the run shows as failed."""
    from .alerts import format_quality_alert, send_alert
    settings = settings or load_settings()
    st = settings.staging(run_id)
    missing = missing_sources(settings, run_id)
    if not (st / "validation.json").exists():
        sent = send_alert(f"[fzzf-etl] run {run_id} stopped before data quality checks",
                          "No validation result was written; see the Airflow task logs.")
        raise IncompleteRun(f"run {run_id} stopped before validation (alert sent via {sent or 'nothing'})")
    summary = json.loads((st / "validation.json").read_text(encoding="utf-8"))
    quarantined = pd.read_parquet(st / "facts_quarantined.parquet")
    errors = _read_stage(settings, run_id, "errors")
    load_failed = not (st / "counts.json").exists()
    if summary.get("success", True) and not len(quarantined) and not len(errors) \
            and not load_failed and not missing:
        return []
    subject, body = format_quality_alert(summary, quarantined, run_id)
    if len(errors):
        subject = (f"[fzzf-etl] run {run_id}: {errors['url'].nunique()} documents could not be read, "
                   f"{len(quarantined)} facts quarantined")
        body += "\n\nDocuments that could not be read:\n" + "\n".join(
            f"- [{e.stage}] {e.url}: {e.error}" for e in errors.itertuples())
    if missing:
        subject = f"[fzzf-etl] run {run_id}: {len(missing)} sources did not finish"
        body = ("These sources failed for good in discover/fetch/process (see their Airflow task "
                "logs); the others were loaded:\n" + "\n".join(f"- {m}" for m in missing) + "\n\n" + body)
    if load_failed:
        subject = f"[fzzf-etl] run {run_id}: LOAD FAILED, warehouse unchanged"
        body = "The load transaction did not commit; the warehouse is as it was.\n\n" + body
    sent = send_alert(subject, body)
    if missing:
        raise IncompleteRun(f"{len(missing)} sources did not finish: {', '.join(missing[:10])}")
    return sent


def run_all(run_id: str | None = None, settings: Settings | None = None) -> dict:
    """The whole DAG in one process, in order (for `python -m etl run` and debugging)."""
    settings = settings or load_settings()
    run_id = run_id or time.strftime("manual__%Y%m%dT%H%M%S")
    for shard in plan(settings, run_id):
        discover_task(run_id, shard, settings)
        fetch_task(run_id, shard, settings)
        process_task(run_id, shard, settings)
    validate_task(run_id, settings)
    counts = load_task(run_id, settings)
    alert_task(run_id, settings)
    return counts
