"""The disclosure suite (expectations/disclosure.json) over a run's reports.

Each report's cells become check rows (checks.check_rows); great-expectations evaluates
them in one batch; a report with any failing row is quarantined whole: its cells are held
back and each failing check is kept with its equation and the figures as published.
"""
from __future__ import annotations

import json
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..settings import ROOT

log = logging.getLogger(__name__)

SUITE = ROOT / "expectations" / "disclosure.json"
ROW_ID = "_row"


@dataclass
class DisclosureOutcome:
    passed: pd.DataFrame            # cells of reports that passed every check
    held: pd.DataFrame              # cells of quarantined reports (kept, not loaded into core)
    quarantine: pd.DataFrame        # one row per failing check: doc_id, check, equation, figures
    checks: pd.DataFrame            # every check row with its outcome (for the summary)
    summary: dict = field(default_factory=dict)


def _gx(work: pd.DataFrame, suite: dict):
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite
        from great_expectations.data_context.types.base import (
            DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)
        ctx = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(), analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False)))
        s = ctx.suites.add(ExpectationSuite(name=suite["name"], expectations=suite["expectations"]))
        batch = (ctx.data_sources.add_pandas("disclosure").add_dataframe_asset("checks")
                 .add_batch_definition_whole_dataframe("all"))
        vd = ctx.validation_definitions.add(gx.ValidationDefinition(name="disclosure", data=batch, suite=s))
        return vd.run(batch_parameters={"dataframe": work},
                      result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]})


def failing_rows(checks: pd.DataFrame, suite_path: Path = SUITE) -> dict[int, list[str]]:
    """Row position -> descriptions of the expectations it fails."""
    if not len(checks):
        return {}
    suite = json.loads(Path(suite_path).read_text(encoding="utf-8"))
    work = checks[["lhs", "rhs", "value_nonneg", "fraction"]].apply(pd.to_numeric, errors="coerce")
    work[ROW_ID] = np.arange(len(work))
    result = _gx(work, suite)
    bad: dict[int, list[str]] = {}
    for r in result.results:
        if r.success:
            continue
        info = r.exception_info or {}
        if any(isinstance(v, dict) and v.get("raised_exception") for v in [info, *info.values()]):
            raise RuntimeError(f"disclosure suite could not run {r.expectation_config.type}: {info}")
        for d in r.result.get("unexpected_index_list") or []:
            bad.setdefault(int(d[ROW_ID]), []).append(r.expectation_config.description or r.expectation_config.type)
    return bad


def validate_reports(reports: list[dict], suite_path: Path = SUITE) -> DisclosureOutcome:
    """reports: [{doc_id, cells: [cell dict]}] -> passed / held cells and the quarantine."""
    from .cells import Cell
    from .checks import check_rows
    rows, cells = [], []
    for rep in reports:
        cs = [Cell(**{k: c[k] for k in Cell.__dataclass_fields__}) for c in rep["cells"]]
        rows += check_rows(rep["doc_id"], cs)
        cells += [{**c, "doc_id": rep["doc_id"]} for c in rep["cells"]]
    checks = pd.DataFrame(rows)
    bad = failing_rows(checks, suite_path)
    if len(checks):
        checks["failed"] = [bool(bad.get(i)) for i in range(len(checks))]
        checks["reasons"] = ["; ".join(bad.get(i, [])) for i in range(len(checks))]
    failed_docs = set(checks.loc[checks["failed"], "doc_id"]) if len(checks) else set()
    cell_df = pd.DataFrame(cells)
    in_bad = cell_df["doc_id"].isin(failed_docs) if len(cell_df) else pd.Series(dtype=bool)
    quarantine = checks[checks["failed"]][["doc_id", "check", "equation", "lhs", "rhs", "figures",
                                           "describe", "reasons"]] if len(checks) else pd.DataFrame()
    summary = {"suite": "disclosure", "n_reports": len(reports),
               "n_quarantined_reports": len(failed_docs), "n_cells": len(cell_df),
               "n_checks": int((checks["kind"] == "equation").sum()) if len(checks) else 0,
               "n_not_evaluated": int((checks["status"] == "not_evaluated").sum()) if len(checks) else 0,
               "failed_checks": sorted(quarantine["check"].unique().tolist()) if len(quarantine) else []}
    log.info("disclosure: %d reports, %d quarantined (%s)", len(reports), len(failed_docs),
             ", ".join(summary["failed_checks"]))
    return DisclosureOutcome(passed=cell_df[~in_bad] if len(cell_df) else cell_df,
                             held=cell_df[in_bad] if len(cell_df) else cell_df,
                             quarantine=quarantine, checks=checks, summary=summary)
