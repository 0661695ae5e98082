"""The suites: JSON files in expectations/ an analyst can read and change, joined by the
expectations generated from the metric catalog (plausible range and allowed units per
metric), the run-time parameters ($PARAMETER: things JSON cannot hold), and a version that
changes whenever anything that decides a row's fate changes."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..settings import ROOT

SUITES_DIR = ROOT / "expectations"
FIRST_REPORT_YEAR = 2015        # the State Council's reporting rule dates from 2015-2016
YOY_FACTOR = 10.0               # a year-on-year ratio beyond this (either way) is flagged


def load_suite(path: Path | None = None) -> dict[str, Any]:
    """The suite as plain JSON (GX 1.x shape: {"name", "expectations": [{"type", "kwargs"}]})."""
    if path is None:
        from ..settings import load_settings  # honours ETL_SUITE
        path = load_settings().suite_file
    return json.loads(Path(path).read_text(encoding="utf-8"))


def suite_paths(facts_suite: Path) -> dict[str, Path]:
    """The facts suite (ETL_SUITE) and the documents suite beside it."""
    return {"documents": facts_suite.with_name("documents.json"), "facts": facts_suite}


@lru_cache(maxsize=1)
def gb2260_codes() -> tuple[str, ...]:
    """Every current or historical GB/T 2260 code (functional zones are not codes)."""
    from ..warehouse.seeds import regions_frame
    df = regions_frame()
    return tuple(sorted(df.loc[df["status"].isin(["c", "h"]), "code"]))


def suite_parameters(today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    return {"max_report_year": today.year, "min_report_year": FIRST_REPORT_YEAR,
            "gb2260_codes": list(gb2260_codes()),
            "yoy_min_ratio": 1 / YOY_FACTOR, "yoy_max_ratio": YOY_FACTOR}


def _metric_condition(mid: str) -> dict[str, Any]:
    return {"type": "comparison", "column": {"name": "metric"}, "operator": "==", "parameter": mid}


def catalog_expectations() -> list[dict[str, Any]]:
    """Per catalog metric (etl/catalog.yaml, next to its keywords so the two never drift):
    the plausible range of its value and the units it may be counted in."""
    from ..extract.catalog import load_catalog as catalog   # the module is callable at runtime only
    out = []
    for mid, m in sorted(catalog()["metrics"].items()):
        lo, hi = (m.get("range") or [None, None])[:2]
        if lo is not None or hi is not None:
            out.append({
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "value", "min_value": lo, "max_value": hi,
                           "row_condition": _metric_condition(mid)},
                "description": f"value is plausible for metric {mid} ({lo}..{hi})",
                "meta": {"id": f"range_{mid}", "scope": "row", "severity": "error",
                         "why": "range from etl/catalog.yaml"}})
        if m.get("units"):
            out.append({
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "unit", "value_set": list(m["units"]),
                           "row_condition": _metric_condition(mid)},
                "description": f"unit is one metric {mid} is counted in",
                "meta": {"id": f"unit_{mid}", "scope": "row", "severity": "error",
                         "why": "units from etl/catalog.yaml"}})
    return out


def full_suite(path: Path, with_catalog: bool) -> dict[str, Any]:
    suite = load_suite(path)
    suite["expectations"] = list(suite["expectations"]) + (catalog_expectations() if with_catalog else [])
    for i, e in enumerate(suite["expectations"]):
        e.setdefault("meta", {}).setdefault("id", f"{suite.get('name', 'suite')}_{i}")
    return suite


def suites_version(facts_suite: Path) -> str:
    """Hash of everything that decides quarantine: both suite files, the catalog's ranges and
    units, the year bounds. A changed suite re-checks every document under it."""
    parts = {name: full_suite(p, name == "facts") for name, p in suite_paths(facts_suite).items() if p.exists()}
    params = {k: v for k, v in suite_parameters().items() if k != "gb2260_codes"}
    blob = json.dumps([parts, params, len(gb2260_codes())], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]
