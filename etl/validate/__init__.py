"""Data quality, inside the validate task (never at parse time), with great-expectations.

    suites.py     the suites in expectations/ (documents.json, facts.json) + the catalog's
                  per-metric ranges and units, run-time parameters, the suites' version
    gx_run.py     one suite over one frame in a throwaway GX context, Data Docs per run
    collect.py    failing rows -> reasons with the thresholds used; one result per expectation
    anomalies.py  year-on-year context per agency and metric (warned, never blocked)

Severity: an `error` expectation quarantines the failing rows (dq.quarantine, nowhere
else); a failing document quarantines its facts too; `warn` rows load and are listed
(dq.warnings). A suite that cannot run raises: a batch is never loaded unvalidated.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .anomalies import KEY as YOY_KEY
from .anomalies import add_yoy
from .collect import SuiteResult, run_suite
from .suites import full_suite, load_suite, suite_parameters, suite_paths, suites_version

log = logging.getLogger(__name__)

REASON_SEP = "; "
__all__ = ["ValidationOutcome", "load_suite", "suites_version", "validate_facts", "validate_run"]


@dataclass
class ValidationOutcome:
    passed: pd.DataFrame          # facts to load (warned ones included)
    quarantined: pd.DataFrame     # failing facts plus `reasons` ("; "-joined)
    summary: dict[str, Any] = field(default_factory=dict)
    quarantine_rows: pd.DataFrame = field(default_factory=pd.DataFrame)   # dq.quarantine
    warning_rows: pd.DataFrame = field(default_factory=pd.DataFrame)      # dq.warnings
    results: pd.DataFrame = field(default_factory=pd.DataFrame)           # dq.results
    suite_version: str = ""


def _doc_frame(documents: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Documents with what their suite reads that the row does not hold: facts per document."""
    docs = documents.copy()
    if not len(docs):
        return docs
    counts = facts.groupby("doc_id").size() if len(facts) and "doc_id" in facts else pd.Series(dtype=int)
    docs["n_facts"] = docs["doc_id"].map(counts).fillna(0).astype(int)
    return docs


def _rows(df: pd.DataFrame, failures: dict[int, list[tuple[str, str]]], kind: str, suite: str,
          urls: dict[str, str], agencies: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for pos in sorted(failures):
        row = df.iloc[pos]
        doc = str(row.get("doc_id", "") or "")
        d = {c: row[c] for c in df.columns if c not in ("text", "sentence")}
        for eid, why in failures[pos]:
            out.append({
                "kind": kind, "row_id": str(row.get("fact_id" if kind == "fact" else "doc_id", "") or ""),
                "doc_id": doc, "url": urls.get(doc, str(row.get("url", "") or "")),
                "agency": str(row.get("agency", "") or agencies.get(doc, "")),
                "metric": row.get("metric"), "value": _float(row.get("value")), "unit": row.get("unit"),
                "quote": row.get("quote"), "expectation": f"{suite}.{eid}", "reason": why,
                "row": json.dumps(d, ensure_ascii=False, default=_json_default)})
    return out


def _float(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def _json_default(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    return str(v)


def _results_frame(results: list[tuple[SuiteResult, str]], version: str, docs: str) -> pd.DataFrame:
    rows = [{**r, "suite": name, "suite_version": version, "data_docs": docs,
             "kwargs": json.dumps(r["kwargs"], ensure_ascii=False, default=str)}
            for res, name in results for r in res.results]
    return pd.DataFrame(rows)


def validate_run(facts: pd.DataFrame, documents: pd.DataFrame, suite_path: Path,
                 past: pd.DataFrame | None = None, docs_dir: Path | None = None,
                 run_id: str = "run") -> ValidationOutcome:
    """Both suites over a run's documents and facts: facts to load, quarantine, warnings."""
    params = suite_parameters()
    paths = suite_paths(suite_path)
    version = suites_version(suite_path)
    docs = _doc_frame(documents, facts)
    doc_res = SuiteResult("documents")
    if paths["documents"].exists() and len(docs):
        doc_res = run_suite(docs, full_suite(paths["documents"], False), params, docs_dir, run_id)
    if past is None:
        past = pd.DataFrame(columns=YOY_KEY + ["value"])
    facts_x = add_yoy(facts, past) if len(facts) else facts
    fact_res = run_suite(facts_x, full_suite(paths["facts"], True), params, docs_dir, run_id) \
        if len(facts_x) else SuiteResult("facts")

    urls = dict(zip(docs["doc_id"], docs["url"])) if len(docs) else {}
    agencies = dict(zip(docs["doc_id"], docs.get("inferred_agency", pd.Series([""] * len(docs))))) if len(docs) else {}
    bad_docs = {str(docs.iloc[p]["doc_id"]): v for p, v in doc_res.errors.items()}
    errors = {p: list(v) for p, v in fact_res.errors.items()}
    if bad_docs and len(facts_x):
        for pos, doc in enumerate(facts_x["doc_id"].astype(str)):
            for eid, why in bad_docs.get(doc, []):
                errors.setdefault(pos, []).append((f"document.{eid}", f"its document failed: {why}"))
    q_rows = _rows(docs, doc_res.errors, "document", "documents", urls, agencies) \
        + _rows(facts_x, errors, "fact", "facts", urls, agencies)
    w_rows = _rows(facts_x, fact_res.warnings, "fact", "facts", urls, agencies) \
        + _rows(docs, doc_res.warnings, "document", "documents", urls, agencies)

    bad = np.zeros(len(facts), dtype=bool)
    bad[sorted(errors)] = True
    quarantined = facts.iloc[sorted(errors)].copy()
    quarantined["reasons"] = pd.Series([REASON_SEP.join(w for _, w in errors[i]) for i in sorted(errors)],
                                       index=quarantined.index, dtype=object)
    passed = facts.iloc[np.flatnonzero(~bad)].copy()
    index = str(docs_dir / "index.html") if docs_dir is not None else ""
    results = _results_frame([(doc_res, "documents"), (fact_res, "facts")], version, index)
    summary = _summary(facts, passed, quarantined, doc_res, fact_res, bad_docs, w_rows, version, index)
    log.info("validated %d facts, %d documents: %d passed, %d quarantined, %d warned",
             len(facts), len(docs), len(passed), len(quarantined), len(w_rows))
    return ValidationOutcome(passed, quarantined, summary, pd.DataFrame(q_rows), pd.DataFrame(w_rows),
                             results, version)


def _summary(facts, passed, quarantined, doc_res: SuiteResult, fact_res: SuiteResult,
             bad_docs: dict, w_rows: list, version: str, index: str) -> dict[str, Any]:
    every = [dict(r, suite=s.name) for s in (doc_res, fact_res) for r in s.results]
    failed = sorted([r for r in every if not r["success"] and r["severity"] == "error"],
                    key=lambda r: -r["unexpected_count"])
    return {
        "suite": "facts", "suite_version": version, "n_rows": len(facts), "n_passed": len(passed),
        "n_quarantined": len(quarantined), "n_warned": len({w["row_id"] for w in w_rows}),
        "documents_quarantined": sorted(bad_docs),
        "success": bool(doc_res.success and fact_res.success),
        "failed_expectations": failed,
        "warned_expectations": [r for r in every if not r["success"] and r["severity"] == "warn"],
        "table_level_failures": [r for r in every if not r["success"] and r["severity"] == "table"],
        "not_evaluated": doc_res.not_evaluated + fact_res.not_evaluated,
        "data_docs": index,
    }


def validate_facts(df: pd.DataFrame, suite_path: Path | None = None) -> ValidationOutcome:
    """The facts suite alone (no documents, no history): for a frame of facts by hand."""
    if suite_path is None:
        from ..settings import load_settings
        suite_path = load_settings().suite_file
    return validate_run(df, pd.DataFrame(), Path(suite_path))
