"""The disclosure suite (expectations/disclosure.json) over a run's reports.

Each report's cells become check rows (checks.check_rows); great-expectations evaluates
them in one batch. A report with a failing row is loaded with its flags, never held back
whole: the failing checks (equation, figures as published, cells involved) go to
dq.disclosure_checks and the cells they involve are flagged for the marts.
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
    cells: pd.DataFrame             # every cell of every report; `flagged` when a failed check involves it
    flags: pd.DataFrame             # one row per check that did not hold: failed / not_evaluated
    checks: pd.DataFrame            # every check row with its outcome (for the summary)
    summary: dict = field(default_factory=dict)

    @property
    def flagged_docs(self) -> set[str]:
        f = self.flags
        return set(f.loc[f["status"] == "failed", "doc_id"]) if len(f) else set()


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
    """reports: [{doc_id, cells: [cell dict]}] -> every cell (flagged or not) and the flags.

    A report whose figures disagree is still data: its cells are all kept, the cells a
    failed check involves are flagged, and each check that did not hold is one flag row
    (failed, with the figures as published; or not_evaluated, with the unread terms)."""
    from .cells import Cell
    from .checks import check_rows
    rows, cells = [], []
    for rep in reports:
        cs = [Cell(**{k: c[k] for k in Cell.__dataclass_fields__ if k in c}) for c in rep["cells"]]
        rows += check_rows(rep["doc_id"], cs)
        cells += [{**c, "doc_id": rep["doc_id"]} for c in rep["cells"]]
    checks = pd.DataFrame(rows)
    bad = failing_rows(checks, suite_path)
    flag_cols = ["doc_id", "check", "status", "equation", "lhs", "rhs", "figures", "cells", "unread",
                 "convention", "describe", "reasons"]
    if len(checks):
        checks["failed"] = [bool(bad.get(i)) for i in range(len(checks))]
        checks["reasons"] = ["; ".join(bad.get(i, [])) for i in range(len(checks))]
        checks.loc[checks["failed"], "status"] = "failed"
        keep = checks["failed"] | ((checks["kind"] == "equation") & (checks["status"] == "not_evaluated"))
        flags = checks[keep][flag_cols]
    else:
        flags = pd.DataFrame(columns=flag_cols)
    involved = {(r.doc_id, m) for r in flags[flags["status"] == "failed"].itertuples()
                for m in json.loads(r.cells)} if len(flags) else set()
    cell_df = pd.DataFrame(cells)
    if len(cell_df):
        cell_df["flagged"] = [(d, m) in involved for d, m in zip(cell_df["doc_id"], cell_df["metric"])]
    failed = flags[flags["status"] == "failed"] if len(flags) else flags
    summary: dict = {"suite": "disclosure", "n_reports": len(reports),
               "n_flagged_reports": int(failed["doc_id"].nunique()) if len(failed) else 0,
               "n_cells": len(cell_df), "n_flagged_cells": len(involved),
               "n_checks": int((checks["kind"] == "equation").sum()) if len(checks) else 0,
               "n_failed": len(failed),
               "n_not_evaluated": int((flags["status"] == "not_evaluated").sum()) if len(flags) else 0,
               "failed_checks": sorted(failed["check"].unique().tolist()) if len(failed) else []}
    log.info("disclosure: %d reports, %d flagged (%s)", len(reports), summary["n_flagged_reports"],
             ", ".join(summary["failed_checks"]))
    return DisclosureOutcome(cells=cell_df, flags=flags, checks=checks, summary=summary)
