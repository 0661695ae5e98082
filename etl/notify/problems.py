"""What went wrong in a run, each with who it concerns and what a person should do.

`red` problems mean something was lost or not checked: the run must show failed (a listed
report that could not be fetched or read is lost tonight). The others (quarantined facts,
anomalies, a disclosure report failing a consistency rule) need a look. Which kind is which
is decided once, in verdict.py (SEVERITY); `red` here follows it."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..runstore import (COUNTS, DISCLOSURE_CHECKS, DISCLOSURE_REPORTS, DISCOVERED, DOCUMENTS, DQ_QUARANTINE,
                        DQ_WARNINGS, ERRORS, FETCHED, LOAD_ERROR, VALIDATION, VALIDATION_ERROR, BUILD, BUILD_ERROR,
                        RunStore)
from ..settings import Settings

log = logging.getLogger(__name__)
LISTED = 50            # rows shown per kind of problem; the rest are counted


@dataclass
class Problem:
    kind: str              # load_failed / validate_failed / shard_unfinished / listing_failed / ...
    red: bool
    title: str
    action: str
    lines: list[str] = field(default_factory=list)


def _short(s, n: int = 80) -> str:
    s = human_numbers(" ".join(str(s or "").split()))
    return s if len(s) <= n else s[: n - 1] + "…"


_LONG_DECIMAL = re.compile(r"(?<![\w.])(-?\d+\.\d{4,})(?![\d.])")


def human_number(v) -> str:
    """A figure for people: 1300, 2.5, 10.83, 0.0123 (never 10.833333333333334 or 1.3e+03)."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if x != x:
        return ""
    if x.is_integer():
        return f"{int(x)}"
    if abs(x) >= 1:
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def human_numbers(text: str) -> str:
    """Every long decimal in a reason rounded (`yoy_ratio=10.833333333333334` -> `10.83`)."""
    return _LONG_DECIMAL.sub(lambda m: human_number(m.group(1)), text)


# the stages of a run's error rows that are not documents
NOT_DOCUMENTS = ("registry", "listing", "listing_warning")   # source-level rows: not a lost document


def lost_documents(errors: pd.DataFrame) -> pd.DataFrame:
    """Error rows of listed documents (not registry entries nor listings): lost tonight. The
    load's `documents_failed` count and the alert's list are both this, one row per URL."""
    if not len(errors) or "stage" not in errors:
        return errors.iloc[0:0] if len(errors.columns) else pd.DataFrame(columns=["url", "stage", "error"])
    docs = errors[~errors["stage"].isin(NOT_DOCUMENTS)]
    return docs.drop_duplicates("url", keep="last")


def _agencies(settings: Settings) -> dict[str, str]:
    try:
        from ..discovery import load_registry
        return {s.id: s.agency for s in load_registry(settings.sources_file, settings.portal_url, settings.state_dir)}
    except Exception:              # a broken registry is reported by plan itself
        return {}


def _lost_sources(settings: Settings, run: RunStore) -> list[tuple[str, int]]:
    """Sources that listed no report tonight although the warehouse holds reports of theirs."""
    empty = [sid for sid, n in run.counts(DISCOVERED).items() if n == 0]
    if not empty or not settings.warehouse.exists():
        return []
    from ..load.lock import connect
    try:
        con = connect(settings.warehouse, read_only=True, timeout_s=30)
    except Exception as e:        # the verdict must not hang on an analyst's lock
        log.warning("could not read the warehouse for vanished sources: %s", e)
        return []
    try:
        rows = con.execute("SELECT source_id, count(*) FROM raw.documents WHERE list_contains(?, source_id) "
                           "GROUP BY source_id ORDER BY source_id", [empty]).fetchall()
    except Exception:
        rows = []
    finally:
        con.close()
    return [(sid, int(n)) for sid, n in rows]


def _dropped(run: RunStore) -> list[str]:
    """Sources where fetched documents outnumber what process accounted for (processed,
    unchanged, refused or failed with an error row): a document vanished silently."""
    out = []
    finished = run.finished()
    for sid in run.keys(FETCHED):
        ok = {f.url for f in run.read(FETCHED, sid) if f.status == "fetched"}
        if not ok or sid not in finished:
            continue           # not processed at all: an unfinished shard, reported as such
        seen = set(run.column(DOCUMENTS, sid, "url")) | set(run.column(ERRORS, sid, "url"))
        accounted = len(ok & seen) + finished[sid]
        if accounted < len(ok):
            out.append(f"{sid}: {len(ok) - accounted} of {len(ok)} fetched documents neither loaded, "
                       f"unchanged nor recorded as errors")
    return out


def run_problems(settings: Settings, run_id: str) -> list[Problem]:
    run = RunStore(settings, run_id)
    agency = _agencies(settings)
    out: list[Problem] = []
    load_error = run.get(LOAD_ERROR)
    if load_error:
        out.append(Problem("load_failed", True, "LOAD FAILED: the warehouse is unchanged",
                           "Fix the cause below, then clear the run's load task (the staged batch is kept).",
                           [load_error.get("error", "")]))
    build_error = run.get(BUILD_ERROR)
    if build_error:
        out.append(Problem("build_failed", True, "dbt BUILD FAILED: analysts keep the last good snapshot",
                           "Fix the failing models or tests (python -m etl build shows them), then clear the load task.",
                           list(build_error.get("failed") or []) or [build_error.get("error", "")]))
    warned = (run.get(BUILD) or {}).get("warned") or []
    if warned:
        out.append(Problem("build_warned", False, "dbt tests of severity warn found rows (loaded, worth a look)",
                           "E.g. facts carrying a category or metric the catalog no longer has: reprocess them.",
                           list(warned)))
    val_error = run.get(VALIDATION_ERROR)
    summary = run.get(VALIDATION)
    if val_error or summary is None:
        out.append(Problem("validate_failed", True, "Data quality checks could not run: nothing was loaded",
                           "Fix the suite or the cause below, then clear the validate task.",
                           [val_error.get("error", "") if val_error else "validate did not write a result"]))
    elif summary.get("not_evaluated"):
        out.append(Problem("expectation_not_evaluated", True, "Expectations could not be evaluated (their rows held back)",
                           "Fix these expectations in expectations/*.json; the held rows heal on the next run.",
                           list(summary["not_evaluated"])))
    elif not load_error and not run.has(COUNTS):
        out.append(Problem("load_failed", True, "The load did not run: the warehouse is unchanged",
                           "See the load task's log in Airflow, then clear it.", []))
    missing = run.unfinished()
    if missing:
        out.append(Problem("shard_unfinished", True, f"{len(missing)} sources did not finish",
                           "See their crawl task logs in Airflow; clear the failed shard to retry it.",
                           _listed([f"{sid} ({agency.get(sid, '?')})" for sid in missing])))
    errors = run.frame(ERRORS)
    if len(errors):
        errors = errors.fillna("")
        for stage, kind, title, action, red in (
                ("registry", "registry_problem", "Registry entries that cannot run",
                 "Correct these entries in the sources registry (ETL_SOURCES), or the id in the run's "
                 "`sources` param.", True),
                ("listing", "listing_failed", "Listings that failed",
                 "Open the listing URL: if the column moved, update listing_url in the registry.", True),
                ("listing_warning", "listing_warning", "Listings that listed nothing or far less than last night",
                 "Open the listing URL: an emptied or rebuilt column needs the registry (or a convention) updated.",
                 False)):
            rows = errors[errors["stage"] == stage]
            if len(rows):
                out.append(Problem(kind, red, f"{title}: {len(rows)}", action,
                                   _listed([f"{r.source_id} ({agency.get(r.source_id, '?')}) {r.url}: {r.error}"
                                            for r in rows.itertuples()])))
        docs = lost_documents(errors)
        if len(docs):
            out.append(Problem("documents_failed", True, f"Listed reports lost tonight (could not be fetched or read): "
                               f"{len(docs)}",
                               "Open the URL; a server error usually passes (retried tomorrow), an unreadable "
                               "file needs a reader or a person.",
                               _listed([_error_line(r, agency) for r in docs.itertuples()])))
    dropped = _dropped(run)
    if dropped:
        out.append(Problem("documents_dropped", True, "Documents dropped without an error row",
                           "A bug: see the process task log for these sources.", dropped))
    lost = _lost_sources(settings, run)
    if lost:
        out.append(Problem("source_vanished", True, "Sources that had reports and now list none",
                           "Open the listing: the column may have moved or been emptied; update the registry.",
                           [f"{sid} ({agency.get(sid, '?')}): {n} reports in the warehouse, 0 listed" for sid, n in lost]))
    held = _disclosure_lines(run, agency)               # 政府信息公开年报 failing a consistency rule
    if held:
        n_reports = len(held)
        out.append(Problem("disclosure_quarantined", False,
                           f"政府信息公开年报 quarantined (a consistency rule failed): {n_reports}",
                           "Compare the figures with the published table; a typo in the report stays held, "
                           "a misread cell is a reader bug (python -m etl disclosure URL-file).", _listed(held)))
    out += _quality(run)
    from .verdict import level_of, RED                  # the one severity table decides `red`
    for p in out:
        p.red = level_of(p.kind) == RED
    return out


def _listed(lines: list[str]) -> list[str]:
    """At most LISTED rows, then how many more (the title's count stays the whole count)."""
    return lines[:LISTED] + ([f"... and {len(lines) - LISTED} more"] if len(lines) > LISTED else [])


def _error_line(r, agency: dict[str, str]) -> str:
    """One lost document: agency, stage (and the reason's kind when recorded), URL, error."""
    from ..http import error_kind     # its kind (too-large, timeout, not-a-document...)
    kind = error_kind(r.stage, r.error, getattr(r, "kind", "") or "")
    return f"{agency.get(r.source_id, r.source_id)} [{r.stage}: {kind}] {r.url}: {_short(r.error, 160)}"


def _disclosure_lines(run: RunStore, agency: dict[str, str]) -> list[str]:
    """One line per 政府信息公开年报 failing a consistency check: agency, year, every check it
    failed, URL (loaded with its flags; the same checks etl.disclosure.stage.alert_lines lists)."""
    q, r = run.frame_of(DISCLOSURE_CHECKS), run.frame_of(DISCLOSURE_REPORTS)
    q = q[q["status"] == "failed"] if len(q) else q
    if not len(q):
        return []
    docs = r.set_index("doc_id").to_dict("index") if len(r) and "doc_id" in r else {}
    out = []
    for doc_id, rows in q.groupby("doc_id", sort=False):
        d = docs.get(doc_id, {})
        who = d.get("agency") or agency.get(d.get("source_id", ""), "") or d.get("source_id") or "?"
        checks = "; ".join(_short(x, 240) for x in rows["describe"])
        out.append(f"{who} | {d.get('report_year', '') or ''} | {checks} | {d.get('url', doc_id)}")
    return out


def _dq_line(r, why: str) -> str:
    """One quarantined or warned row: agency, figure and quote when it is a fact, why, URL."""
    if r.value == r.value and r.value is not None:      # a fact (NaN for a document row)
        return (f"{r.agency} | {r.metric} = {human_number(r.value)} {r.unit or ''} | \"{_short(r.quote, 40)}\" | "
                f"{why} | {r.url}")
    return f"{r.agency} | {why} | {r.url}"


def dq_rows(df: pd.DataFrame) -> list[tuple[Any, str]]:
    """One entry per quarantined / warned row (kind, row_id), with every expectation it
    failed and why: (first record, 'exp1: why; exp2: why')."""
    out = []
    for _, rows in df.groupby(["kind", "row_id"], sort=False, dropna=False):
        why = "; ".join(f"{e}: {_short(r, 160)}" for e, r in zip(rows["expectation"], rows["reason"]))
        out.append((next(rows.itertuples()), why))
    return out


def _quality(run: RunStore) -> list[Problem]:
    out = []
    q = run.frame_of(DQ_QUARANTINE)
    if len(q):
        rows = dq_rows(q)
        n_facts = sum(1 for r, _ in rows if r.kind == "fact")
        out.append(Problem("quarantined", False, f"Facts quarantined: {n_facts} "
                           f"(documents: {len(rows) - n_facts})",
                           "Check the quote in the report: a misread number is an extractor issue; a wrong "
                           "threshold is fixed in expectations/ (quarantined facts heal on the next run).",
                           _listed([_dq_line(r, why) for r, why in rows])))
    w = run.frame_of(DQ_WARNINGS)
    if len(w):
        rows = dq_rows(w)
        out.append(Problem("anomalies", False, f"Anomalies (loaded, please look): {len(rows)}",
                           "Compare with the report: a real change needs nothing; a misread number is an "
                           "extractor issue.",
                           _listed([_dq_line(r, why) for r, why in rows])))
    return out
