"""Running a suite with great-expectations 1.x: a throwaway in-memory context whose only
files are the run's Data Docs (HTML), written when a docs folder is given.

great_expectations is imported inside the functions: DAG files import this package at
parse time and GX costs seconds to import."""
from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

ROW_ID = "_row"            # positional id handed to GX; robust to duplicate or null ids


def _quiet_gx() -> None:
    """GX logs config chatter at INFO; keep the task log about our data."""
    gx_log = logging.getLogger("great_expectations")
    if gx_log.level == logging.NOTSET:
        gx_log.setLevel(logging.WARNING)


def _context(docs_dir: Path | None):
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)
    sites = {}
    if docs_dir is not None:
        sites = {"run": {"class_name": "SiteBuilder", "show_how_to_buttons": False,
                         "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                           "base_directory": str(docs_dir)},
                         "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}}
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False, data_docs_sites=sites,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False))
    return gx.get_context(mode="ephemeral", project_config=config)


def gx_suite_json(suite: dict[str, Any]) -> dict[str, Any]:
    """Keep only what ExpectationSuite accepts; our file-level `meta` rides along."""
    return {"name": suite.get("name", "suite"), "meta": suite.get("meta", {}),
            "expectations": suite["expectations"]}


def run_gx(work: pd.DataFrame, suite: dict[str, Any], params: dict[str, Any],
           docs_dir: Path | None = None, run_name: str = "run"):
    """The suite's validation result over `work` (COMPLETE: every failing row's id)."""
    _quiet_gx()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite
        from great_expectations.core.run_identifier import RunIdentifier

        ctx = _context(docs_dir)
        name = suite.get("name", "suite")
        gx_suite = ctx.suites.add(ExpectationSuite(**gx_suite_json(suite)))
        batch = (ctx.data_sources.add_pandas(name).add_dataframe_asset(name)
                 .add_batch_definition_whole_dataframe("all"))
        vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
        actions: list[gx.checkpoint.ValidationAction] = [gx.checkpoint.UpdateDataDocsAction(name="docs")] if docs_dir is not None else []
        cp = ctx.checkpoints.add(gx.Checkpoint(
            name=name, validation_definitions=[vd], actions=actions,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]}))
        res = cp.run(batch_parameters={"dataframe": work}, expectation_parameters=params,
                     run_id=RunIdentifier(run_name=run_name))
        [result] = list(res.run_results.values())
        return result
