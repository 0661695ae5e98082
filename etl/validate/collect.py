"""One suite over one frame: which rows fail which expectation, and why, in words that
carry the threshold actually used (parameters resolved), plus one result per expectation.

Each expectation's `meta` says what a failure does:
- scope "row" (default) with severity "error": the failing rows are quarantined;
  severity "warn": they load, and are listed;
- scope "table": reported (dq.results, the alert) but no row is singled out, e.g.
  uniqueness of fact_id, where deciding which duplicate is "bad" is not the validator's job.
An expectation GX could not evaluate holds every row back (we cannot say which pass).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .gx_run import ROW_ID, run_gx

_COLUMN_KEYS = ("column", "column_A", "column_B")
_NUMERIC_TYPES = {"expect_column_values_to_be_between", "expect_column_pair_values_a_to_be_greater_than_b"}
_REGEX_TYPES = {"expect_column_values_to_match_regex"}
_SET_SHOWN = 12


@dataclass
class SuiteResult:
    name: str
    errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)    # row -> [(id, reason)]
    warnings: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)               # one per expectation
    success: bool = True
    not_evaluated: list[str] = field(default_factory=list)


# -- preparation ---------------------------------------------------------------------------

def expectation_columns(exp: dict[str, Any]) -> set[str]:
    kw = exp.get("kwargs", {})
    cols = {kw[k] for k in _COLUMN_KEYS if k in kw} | set(kw.get("column_list") or [])
    cond = kw.get("row_condition")
    if isinstance(cond, dict):
        cols |= _condition_columns(cond)
    return cols


def _condition_columns(cond: dict[str, Any]) -> set[str]:
    if "conditions" in cond:
        return set().union(*(_condition_columns(c) for c in cond["conditions"]))
    col = cond.get("column")
    return {col["name"]} if isinstance(col, dict) else set()


def check_columns(df: pd.DataFrame, suite: dict[str, Any]) -> None:
    """A missing column is a pipeline bug, not bad data: fail loudly rather than quarantine."""
    needed = set().union(*(expectation_columns(e) for e in suite["expectations"]))
    missing = sorted(needed - set(df.columns))
    if missing and len(df):  # an empty batch (even column-less) has nothing to check
        raise ValueError(f"frame lacks columns required by suite {suite.get('name')!r}: {missing}")


def working_frame(df: pd.DataFrame, suite: dict[str, Any]) -> pd.DataFrame:
    """Only the columns the suite reads, with tolerant dtypes, plus a positional row id.
    Coercion happens on this copy only: a non-numeric value becomes NaN here (and fails the
    not-null expectation) while the caller's rows are returned untouched."""
    numeric: set[str] = set()
    regex: set[str] = set()
    cols: set[str] = set()
    for exp in suite["expectations"]:
        cols |= expectation_columns(exp)
        if exp["type"] in _NUMERIC_TYPES:
            numeric |= {exp["kwargs"][k] for k in _COLUMN_KEYS if k in exp["kwargs"]}
        if exp["type"] in _REGEX_TYPES or exp["kwargs"].get("column") == "province_code":
            regex.add(exp["kwargs"]["column"])
    work = df.reindex(columns=sorted(cols)).reset_index(drop=True)
    for col in numeric:
        if not pd.api.types.is_numeric_dtype(work[col]):
            work[col] = pd.to_numeric(work[col], errors="coerce")
    for col in regex:
        if not pd.api.types.is_string_dtype(work[col]):
            # e.g. province_code read as int 420000: the rule is about the text
            work[col] = work[col].astype(object).where(work[col].isna(), work[col].astype(str))
    work[ROW_ID] = np.arange(len(work))
    return work


# -- reasons -------------------------------------------------------------------------------

def _num(v: Any) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v.item() if isinstance(v, np.generic) else v)


def condition_text(cond: Any) -> str:
    if not isinstance(cond, dict):
        return str(cond) if cond else ""
    if cond.get("type") in ("and", "or"):
        return f" {cond['type']} ".join(condition_text(c) for c in cond["conditions"])
    if cond.get("type") == "comparison":
        p = cond.get("parameter")
        p = "[" + ", ".join(map(str, p)) + "]" if isinstance(p, list) else p
        return f"{cond['column']['name']} {cond['operator']} {p}"
    return json.dumps(cond, ensure_ascii=False)


def _shown_set(values: list) -> str:
    if len(values) > _SET_SHOWN:
        return f"the {len(values)} allowed values"
    return "{" + ", ".join(map(str, values)) + "}"


def reason(exp_type: str, kw: dict[str, Any], desc: str, row: dict[str, Any]) -> str:
    """`desc: what the row holds vs the threshold used`."""
    col = kw.get("column")
    val = row.get(col) if col else None
    if exp_type == "expect_column_values_to_be_between":
        detail = f"{col}={_num(val)} not in [{_num(kw.get('min_value'))}, {_num(kw.get('max_value'))}]"
        ctx = [f"{k}={_num(row[k])}" for k in sorted(row) if k not in (col, ROW_ID)]
        if ctx:
            detail += f" ({', '.join(ctx)})"
    elif exp_type == "expect_column_values_to_be_in_set":
        detail = f"{col}={val!r} not in {_shown_set(list(kw.get('value_set') or []))}"
    elif exp_type == "expect_column_values_to_not_be_null":
        detail = f"{col} is missing"
    elif exp_type == "expect_column_values_to_match_regex":
        detail = f"{col}={val!r} does not match /{kw.get('regex')}/"
    elif exp_type == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = str(kw.get("column_A")), str(kw.get("column_B"))
        detail = f"{a}={_num(row.get(a))} not {'>=' if kw.get('or_equal') else '>'} {b}={_num(row.get(b))}"
    elif exp_type == "expect_compound_columns_to_be_unique":
        cols = kw.get("column_list") or []
        detail = "duplicate " + ", ".join(f"{c}={_num(row.get(c))}" for c in cols)
    else:
        detail = json.dumps({k: v for k, v in kw.items() if k != "batch_id"}, ensure_ascii=False, default=str)
    cond = condition_text(kw.get("row_condition"))
    return f"{desc}: {detail}" + (f" where {cond}" if cond else "")


# -- results -------------------------------------------------------------------------------

def _raised(result) -> str | None:
    """The exception message if GX could not evaluate an expectation, else None."""
    info = result.exception_info or {}
    entries = [info] if "raised_exception" in info else list(info.values())
    for e in entries:
        if isinstance(e, dict) and e.get("raised_exception"):
            return str(e.get("exception_message") or "error")
    return None


def column_label(kwargs: dict[str, Any]) -> str | None:
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if "column_list" in kwargs:
        return ",".join(kwargs["column_list"])
    return None


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _failing_rows(r, meta: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{k: _jsonable(v) for k, v in d.items()} for d in r.result.get("unexpected_index_list") or []]
    if meta.get("keep_first"):            # duplicates: the first occurrence is not the bad one
        cols = r.expectation_config.kwargs.get("column_list") or []
        seen: set = set()
        kept = []
        for d in sorted(rows, key=lambda d: d[ROW_ID]):
            key = tuple(str(d.get(c)) for c in cols)
            if key in seen:
                kept.append(d)
            seen.add(key)
        rows = kept
    return rows


def run_suite(df: pd.DataFrame, suite: dict[str, Any], params: dict[str, Any],
              docs_dir: Path | None = None, run_name: str = "run") -> SuiteResult:
    check_columns(df, suite)
    work = working_frame(df, suite)
    result = run_gx(work, suite, params, docs_dir, run_name)
    out = SuiteResult(name=suite.get("name", "suite"), success=bool(result.success))
    for r in result.results:
        cfg = r.expectation_config
        meta = cfg.meta or {}
        eid, scope, severity = meta.get("id", cfg.type), meta.get("scope", "row"), meta.get("severity", "error")
        desc = cfg.description or cfg.type
        error = _raised(r)
        kwargs = {k: _jsonable(v) for k, v in cfg.kwargs.items() if k != "batch_id"}
        rows = [] if (r.success or scope == "table" or error) else _failing_rows(r, meta)
        unexpected = len(work) if error and scope == "row" else int(r.result.get("unexpected_count") or 0)
        out.results.append({
            "expectation": eid, "type": cfg.type, "severity": severity if scope == "row" else "table",
            "column": column_label(cfg.kwargs), "description": desc, "kwargs": kwargs,
            "element_count": len(work), "unexpected_count": unexpected if not r.success else 0,
            "success": bool(r.success), "exception": error or "",
            "observed_value": _jsonable(r.result.get("observed_value")) if scope == "table" else None})
        if error:
            out.not_evaluated.append(f"{out.name}.{eid}: {error}")
            if scope == "row":    # cannot tell which rows fail: hold them all back
                for i in range(len(work)):
                    out.errors.setdefault(i, []).append((eid, f"{desc} (not evaluated: {error})"))
            continue
        target = out.errors if severity == "error" else out.warnings
        context = [c for c in meta.get("context", []) if c in df.columns]   # e.g. last year's value
        for d in rows:
            pos = int(d[ROW_ID])
            d.update({c: _jsonable(df.iloc[pos][c]) for c in context})
            target.setdefault(pos, []).append((eid, reason(cfg.type, kwargs, desc, d)))
    return out
