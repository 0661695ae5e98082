"""Data-quality gate between extract and load: validate facts with great-expectations.

The expectation suite lives in expectations/facts.json so an analyst can read and change it
without touching code. Each expectation carries `meta.scope`:

- "row"   (default): the rows GX reports as unexpected are quarantined, i.e. returned apart
  with a `reasons` column; they are never dropped silently.
- "table": reported in the summary (and the alert) but quarantines nothing, e.g. uniqueness
  of fact_id, where deciding which duplicate is "bad" is not the validator's job.

Per-unit value ranges use GX 1.24's structured `row_condition`
(`{"type": "comparison", "column": {"name": "unit"}, "operator": "==", "parameter": "%"}`),
which the pandas engine turns into `DataFrame.query`; the legacy string form plus
`condition_parser` still works but is deprecated since GX 1.9, so it is not used.

great_expectations is imported inside the functions: DAG files import this module at parse
time and GX costs seconds to import.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

ROW_ID = "_row"            # positional id handed to GX; robust to duplicate or null fact_ids
REASON_SEP = "; "
_COLUMN_KEYS = ("column", "column_A", "column_B")
_NUMERIC_TYPES = {"expect_column_values_to_be_between", "expect_column_pair_values_a_to_be_greater_than_b"}
_REGEX_TYPES = {"expect_column_values_to_match_regex"}


@dataclass
class ValidationOutcome:
    passed: pd.DataFrame          # rows that met every row-level expectation
    quarantined: pd.DataFrame     # failing rows plus `reasons` ("; "-joined descriptions)
    summary: dict[str, Any] = field(default_factory=dict)


def default_suite_path() -> Path:
    from .settings import load_settings  # honours ETL_SUITE
    return load_settings().suite_file


def load_suite(path: Path | None = None) -> dict[str, Any]:
    """The suite as plain JSON (GX 1.x shape: {"name", "expectations": [{"type", "kwargs"}]})."""
    return json.loads(Path(path or default_suite_path()).read_text(encoding="utf-8"))


def suite_parameters(today: dt.date | None = None) -> dict[str, Any]:
    """Values for `$PARAMETER` placeholders: things JSON cannot hold, like 'next year'."""
    today = today or dt.date.today()
    return {"max_report_year": today.year + 1}


def metric_range_expectations() -> list[dict[str, Any]]:
    """One range expectation per catalog metric (`range` in etl/catalog.yaml): a value
    that makes no sense for what it counts (8e7 training sessions) is quarantined. Kept in
    the catalog, next to the metric's keywords, so the two never drift apart."""
    from .extract import catalog
    out = []
    for mid, m in sorted(catalog()["metrics"].items()):
        lo, hi = (m.get("range") or [None, None])[:2]
        if lo is None and hi is None:
            continue
        out.append({
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "value", "min_value": lo, "max_value": hi,
                       "row_condition": {"type": "comparison", "column": {"name": "metric"},
                                         "operator": "==", "parameter": mid}},
            "description": f"value is plausible for metric {mid} ({lo}..{hi})",
            "meta": {"scope": "row", "why": "range from etl/catalog.yaml"},
        })
    return out


def validate_facts(df: pd.DataFrame, suite_path: Path | None = None) -> ValidationOutcome:
    """Validate a frame of facts; split it into passed and quarantined rows and summarise.
    The suite file's expectations are joined by the catalog's per-metric ranges."""
    suite = load_suite(suite_path)
    suite["expectations"] = suite["expectations"] + metric_range_expectations()
    _check_columns(df, suite)
    work = _working_frame(df, suite)
    result = _run_gx(work, suite, suite_parameters())
    reasons, failed, table_failures = _collect(result, n_rows=len(df))
    return _outcome(df, suite, reasons, failed, table_failures, bool(result.success))


# -- preparation ---------------------------------------------------------------------------

def _expectation_columns(exp: dict[str, Any]) -> set[str]:
    kw = exp.get("kwargs", {})
    cols = {kw[k] for k in _COLUMN_KEYS if k in kw}
    cond = kw.get("row_condition")
    if isinstance(cond, dict):
        cols |= _condition_columns(cond)
    return cols


def _condition_columns(cond: dict[str, Any]) -> set[str]:
    if "conditions" in cond:
        return set().union(*(_condition_columns(c) for c in cond["conditions"]))
    col = cond.get("column")
    return {col["name"]} if isinstance(col, dict) else set()


def _check_columns(df: pd.DataFrame, suite: dict[str, Any]) -> None:
    """A missing column is a pipeline bug, not bad data: fail loudly rather than quarantine."""
    needed = set().union(*(_expectation_columns(e) for e in suite["expectations"]))
    missing = sorted(needed - set(df.columns))
    if missing and len(df):  # an empty batch (even column-less) has nothing to check
        raise ValueError(f"facts frame lacks columns required by suite {suite.get('name')!r}: {missing}")


def _working_frame(df: pd.DataFrame, suite: dict[str, Any]) -> pd.DataFrame:
    """Only the columns the suite reads, with tolerant dtypes, plus a positional row id.

    Coercion happens on this copy only: a non-numeric value becomes NaN here (and fails the
    not-null expectation) while the caller's rows are returned untouched.
    """
    numeric: set[str] = set()
    regex: set[str] = set()
    cols: set[str] = set()
    for exp in suite["expectations"]:
        exp_cols = _expectation_columns(exp)
        cols |= exp_cols
        if exp["type"] in _NUMERIC_TYPES:
            numeric |= {exp["kwargs"][k] for k in _COLUMN_KEYS if k in exp["kwargs"]}
        if exp["type"] in _REGEX_TYPES:
            regex.add(exp["kwargs"]["column"])
    work = df.reindex(columns=sorted(cols)).reset_index(drop=True)
    for col in numeric:
        if not pd.api.types.is_numeric_dtype(work[col]):
            work[col] = pd.to_numeric(work[col], errors="coerce")
    for col in regex:
        if not pd.api.types.is_string_dtype(work[col]):
            # e.g. province_code read as int 420000: the regex is about the text
            work[col] = work[col].astype(object).where(work[col].isna(), work[col].astype(str))
    work[ROW_ID] = np.arange(len(work))
    return work


# -- great-expectations --------------------------------------------------------------------

def _quiet_gx() -> None:
    """GX logs config chatter at INFO; keep the task log about our data."""
    gx_log = logging.getLogger("great_expectations")
    if gx_log.level == logging.NOTSET:
        gx_log.setLevel(logging.WARNING)


def _run_gx(work: pd.DataFrame, suite: dict[str, Any], params: dict[str, Any]):
    """Validate the frame in a throwaway in-memory context: no files, no progress bars."""
    _quiet_gx()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite
        from great_expectations.data_context.types.base import (
            DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)

        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        ctx = gx.get_context(mode="ephemeral", project_config=config)
        gx_suite = ctx.suites.add(ExpectationSuite(**_gx_suite_json(suite)))
        batch = (ctx.data_sources.add_pandas("facts")
                 .add_dataframe_asset("facts")
                 .add_batch_definition_whole_dataframe("all"))
        vd = ctx.validation_definitions.add(
            gx.ValidationDefinition(name="facts", data=batch, suite=gx_suite))
        return vd.run(
            batch_parameters={"dataframe": work},
            expectation_parameters=params,
            # COMPLETE + index column: the ids of every failing row, not a sample
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
        )


def _gx_suite_json(suite: dict[str, Any]) -> dict[str, Any]:
    """Keep only what ExpectationSuite accepts; our file-level `meta` rides along."""
    return {"name": suite.get("name", "facts"), "meta": suite.get("meta", {}),
            "expectations": suite["expectations"]}


# -- results -------------------------------------------------------------------------------

def _raised(result) -> str | None:
    """The exception message if GX could not evaluate an expectation, else None."""
    info = result.exception_info or {}
    entries = [info] if "raised_exception" in info else list(info.values())
    for e in entries:
        if isinstance(e, dict) and e.get("raised_exception"):
            return str(e.get("exception_message") or "error")
    return None


def _column_label(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return None


def _collect(result, n_rows: int) -> tuple[dict[int, list[str]], list[dict], list[dict]]:
    """Map failing row positions to reasons; list failed row- and table-level expectations."""
    reasons: dict[int, list[str]] = {}
    failed: list[dict] = []
    table_failures: list[dict] = []
    for r in result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        scope = (cfg.meta or {}).get("scope", "row")
        desc = cfg.description or cfg.type
        error = _raised(r)
        info = {"type": cfg.type, "column": _column_label(cfg.kwargs), "description": desc,
                "unexpected_count": int(r.result.get("unexpected_count") or 0)}
        if error:
            info["error"] = error
        if scope == "table":
            info["observed_value"] = _jsonable(r.result.get("observed_value"))
            table_failures.append(info)
            continue
        if error:
            # Cannot tell which rows fail: hold them all back rather than load unchecked rows.
            rows = range(n_rows)
            desc = f"{desc} (not evaluated: {error})"
            info["unexpected_count"] = n_rows
        else:
            rows = (int(d[ROW_ID]) for d in r.result.get("unexpected_index_list") or [])
        for i in rows:
            reasons.setdefault(i, []).append(desc)
        failed.append(info)
    return reasons, failed, table_failures


def _jsonable(v: Any) -> Any:
    if isinstance(v, (np.generic,)):
        return v.item()
    return v


def _outcome(df: pd.DataFrame, suite: dict[str, Any], reasons: dict[int, list[str]],
             failed: list[dict], table_failures: list[dict], success: bool) -> ValidationOutcome:
    bad = np.zeros(len(df), dtype=bool)
    bad_pos = sorted(reasons)
    bad[bad_pos] = True
    quarantined = df.iloc[bad_pos].copy()
    quarantined["reasons"] = pd.Series([REASON_SEP.join(reasons[i]) for i in bad_pos],
                                       index=quarantined.index, dtype=object)
    passed = df.iloc[np.flatnonzero(~bad)].copy()
    failed.sort(key=lambda f: -f["unexpected_count"])
    summary = {
        "suite": suite.get("name", "facts"),
        "n_rows": len(df),
        "n_passed": len(passed),
        "n_quarantined": len(quarantined),
        "success": success,
        "failed_expectations": failed,
        "table_level_failures": table_failures,
    }
    log.info("validated %d facts: %d passed, %d quarantined, %d table-level failures",
             len(df), len(passed), len(quarantined), len(table_failures))
    return ValidationOutcome(passed=passed, quarantined=quarantined, summary=summary)
