"""Per shard: parse, inspect, normalize + extract every fetched report that is new or
changed since it was loaded; rows shaped for the load."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, replace

from .. import parse as parse_mod
from ..records import Fact, Fetched, Parsed, Source
from ..runstore import DISCLOSURE, DOCUMENTS, ERRORS, FACTS, FETCHED, RunStore
from ..settings import Settings, load_settings
from ..discovery import get_source
from ..store import BlobStore
from .plan import as_ids

log = logging.getLogger(__name__)


def _document_row(p: Parsed, meta: dict, extractor_version: str) -> dict:
    row = asdict(p)
    row.update(report_year=p.report_year, script=p.script, extractor_version=extractor_version,
               inferred_agency=meta.get("agency", ""), inferred_province=meta.get("province", ""))
    return row


def _column(source: Source) -> dict:
    return {"agency": source.agency, "province": source.province, "province_code": source.province_code,
            "city": source.city, "county": source.county, "level": source.level}


def _same_agency(a: str, b: str) -> bool:
    """One agency written two ways: whole, with or without its region prefix, or abbreviated
    (硚口区文旅局 / 武汉市硚口区文化和旅游局)."""
    from ..metadata.agency import _is_expansion, _split_region_prefix
    from ..normalize import to_simplified
    a, b = to_simplified(a or ""), to_simplified(b or "")
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 5 and (a.endswith(b) or b.endswith(a))):
        return True
    (ta, _ba, da), (tb, _bb, db) = _split_region_prefix(a), _split_region_prefix(b)
    ra = ta[-1].surface if ta else ""
    rb = tb[-1].surface if tb else ""
    return bool(da and db and ra == rb and (_is_expansion(da, db) or _is_expansion(db, da)))


def authorship(source: Source, text: str, title: str, publisher: str = "") -> dict:
    """Who wrote the report: read from the document (title, heading, opening, signature,
    发布机构: `etl.metadata.writer`) and resolved to its region chain; the column owner is
    the last fallback and stays `portal_agency`. A writer that is the column owner under
    another spelling is the column owner as registered."""
    from ..metadata import writer_of
    from ..metadata.writer import column_writer
    column = _column(source)
    w = writer_of(text, title, publisher, column)
    if w.source == "column" or _same_agency(w.agency, source.agency):
        w = replace(column_writer(column), source=w.source)
    out = w.as_dict()
    src = out.pop("source")
    return {**out, "portal_agency": source.agency, "writer_source": src}


def _fact_rows(facts: list[Fact], p: Parsed, source: Source, meta: dict, writer: dict | None = None) -> list[dict]:
    writer = writer or authorship(source, p.text, p.title, p.publisher)
    rows = []
    for i, f in enumerate(facts):
        r = asdict(f)
        r.update(fact_id=f"{p.doc_id}-{i:04d}", doc_id=p.doc_id, seq=i, doc=p.doc_id,
                 agency=writer["agency"], province=writer["province"],
                 province_code=writer["province_code"], report_year=p.report_year)
        rows.append(r)
    return rows


def process_task(run_id: str, source_ids: str | list[str], settings: Settings | None = None,
                 force: bool = False) -> list[str]:
    """Parse, normalize and extract every fetched report that is new or changed (content,
    extractor or data-quality suite version) since it was loaded. What was loaded is read
    from the warehouse itself: a deleted one rebuilds everything from the raw archive."""
    from ..load import LoadLockTimeout, document_state
    from ..validate import suites_version
    settings = settings or load_settings()
    try:
        loaded, unreadable = document_state(settings.warehouse, as_ids(source_ids))
    except LoadLockTimeout as e:               # held by someone: redo the work, lose nothing
        log.warning("loaded state unreadable, processing every fetched document: %s", e)
        loaded, unreadable = {}, {}
    if force:                                  # `python -m etl reprocess`: every staged document
        loaded, unreadable = {}, {}
    suite = suites_version(settings.suite_file)
    for sid in as_ids(source_ids):
        _process_source(run_id, sid, settings, loaded, suite, unreadable)
    return as_ids(source_ids)


def fetched_json(f: Fetched) -> str:
    """What reprocessing needs to find the document's bytes in the raw archive again."""
    keep = ("url", "title", "sha256", "content_type", "attachments", "kind", "final_url",
            "listed_date", "report_year")
    return json.dumps({k: v for k, v in asdict(f).items() if k in keep}, ensure_ascii=False)


def _process_document(f: Fetched, source: Source, store: BlobStore, version: str,
                      errors: list[dict]) -> tuple[dict, list[dict]] | None:
    """Parse, inspect and extract one report: (document row, fact rows), or None if it
    has no text. Parse problems are appended to `errors`."""
    from ..extract import extract_facts
    from ..metadata import inspect_text
    p = parse_mod.parse_fetched(f, store.get)
    if p.error:
        errors.append({"source_id": source.id, "url": f.url, "stage": "parse", "error": p.error})
    if not p.text.strip():                     # never dropped without a row saying why
        if not p.error:
            errors.append({"source_id": source.id, "url": f.url, "stage": "parse",
                           "error": f"no text could be read from the {p.fmt or 'document'}"})
        # which bytes gave no text: tomorrow the same bytes are not parsed again
        errors[-1].update(doc_id=p.doc_id, content_sha256=p.content_sha256, extractor_version=version)
        return None
    from ..discovery.titles import settle, year_of
    # what the document is, by its own title (the longest of the listed title and the
    # article's heading) and, when that leaves it open, by its heading and first lines
    p.title, decision = settle(f.title, p.title, p.text, source.kinds, source.include, source.exclude)
    hint = {"agency": source.agency, "province": source.province,
            "province_code": source.province_code, "city": source.city, "county": source.county}
    meta = inspect_text(p.text, p.title, hint)
    # the year reported on: the title's, else what the text says (never the publish year)
    p.report_year = year_of(p.title) or f.report_year or meta.get("report_year")
    p.script = meta.get("script", "hans")
    writer = authorship(source, p.text, p.title, p.publisher)
    row = _document_row(p, meta, version)
    kind = decision.kind or f.kind if decision.decision == "report" else "decoy"
    row.update(report_kind=kind, decision_reason=decision.reason, final_url=f.final_url or f.url,
               listed_date=f.listed_date, **writer)
    row["fetched"] = fetched_json(f)
    if kind == "decoy":                        # read, and not a report: kept with its reason, no facts
        log.info("%s: not a report: %s", f.url, decision.reason)
        return row, []
    facts = extract_facts(p.text, p.doc_id)
    return row, _fact_rows(facts, p, source, meta, writer)


def _disclosure(f: Fetched, row: dict, store: BlobStore, source_id: str, errors: list[dict]) -> dict | None:
    """The staged cells of a disclosure report (etl/disclosure), None for other kinds."""
    from ..disclosure.stage import disclosure_record
    try:
        return disclosure_record(f, row, store.get)
    except Exception as e:                     # its tables unreadable: recorded, others go on
        log.exception("disclosure tables failed: %s", f.url)
        errors.append({"source_id": source_id, "url": f.url, "stage": "disclosure",
                       "error": f"{type(e).__name__}: {e}"})
        return None


def _process_source(run_id: str, source_id: str, settings: Settings,
                    loaded: dict[str, tuple[str, str, str]], suite_version: str = "",
                    unreadable: dict[str, tuple[str, str, str, str]] | None = None) -> None:
    from ..extract import EXTRACTOR_VERSION
    source = get_source(settings, source_id)
    store = BlobStore(settings.raw_dir)
    docs, facts, errors, skipped = [], [], [], 0
    disclosure: list[dict] = []
    run = RunStore(settings, run_id)
    for f in run.read(FETCHED, source_id, required=True):
        if f.status == "error":
            errors.append({"source_id": source_id, "url": f.url, "stage": "fetch", "error": f.error,
                           "kind": f.error_kind or "failed"})
            continue
        if f.status == "refused":              # off-host / robots.txt: recorded by discovery, not lost
            continue
        doc_id = parse_mod.doc_id_of(source_id, f.url)
        sha = parse_mod.content_sha_of(f)
        if loaded.get(doc_id) == (sha, EXTRACTOR_VERSION, suite_version):
            skipped += 1                       # unchanged since it was loaded: no work
            continue
        known_bad = (unreadable or {}).get(doc_id)
        if known_bad and known_bad[:2] == (sha, EXTRACTOR_VERSION):
            errors.append({"source_id": source_id, "url": f.url, "stage": known_bad[2],   # same bytes:
                           "error": known_bad[3], "doc_id": doc_id,                     # not parsed again,
                           "content_sha256": known_bad[0], "extractor_version": known_bad[1]})  # still said
            continue
        try:
            doc = _process_document(f, source, store, EXTRACTOR_VERSION, errors)
        except Exception as e:                 # a bug or a corrupt blob: this document only
            log.exception("processing failed: %s", f.url)
            errors.append({"source_id": source_id, "url": f.url, "stage": "process",
                           "error": f"{type(e).__name__}: {e}"})
            continue
        if doc and doc[0].get("report_kind") == "decoy":
            docs.append(doc[0])
            continue
        if doc:
            disc = _disclosure(f, doc[0], store, source_id, errors)
            if disc is not None:               # 政府信息公开年报: its table cells, not prose facts
                if not disc["cells"]:
                    errors.append({"source_id": source_id, "url": f.url, "stage": "disclosure",
                                   "error": f"no disclosure tables found ({disc['tried']})"})
                disclosure.append(disc)
                docs.append({**doc[0], "report_kind": "disclosure"})
                continue
            docs.append(doc[0])
            facts += doc[1]
    for ds, rows in ((DISCLOSURE, disclosure), (DOCUMENTS, docs), (FACTS, facts), (ERRORS, errors)):
        run.write(ds, source_id, rows)
    # written last, always: the source finished (RunStore.unfinished, notify's drop check)
    run.finish(source_id, unchanged=skipped)
    log.info("%s: %d documents processed, %d unchanged, %d facts, %d errors",
             source_id, len(docs), skipped, len(facts), len(errors))
