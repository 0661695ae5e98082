"""The run's staging folder (`<data>/staging/<run_id>/<stage>/<source_id>.jsonl`): where each
stage leaves its records for the next. Every file is written through etl/files.py (atomic)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..files import atomic_write, read_json, write_json, write_jsonl  # noqa: F401  (re-exported)
from ..settings import Settings


def write_rows(path: Path, recs: list) -> int:
    """Like write_jsonl, but no rows leave no file (readers glob a stage, a missing file is
    no rows; an earlier attempt's file is removed): an unchanged source writes nothing."""
    if recs:
        return write_jsonl(path, recs)
    path.unlink(missing_ok=True)
    return 0


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))


def upstream(settings: Settings, run_id: str, stage: str, source_id: str) -> Path:
    """The previous stage's file for a source. Missing means this worker does not see the
    run's staging folder (ETL_DATA_DIR must be shared storage): fail loudly, never run empty."""
    p = settings.staging(run_id) / stage / f"{source_id}.jsonl"
    if not p.exists():
        raise FileNotFoundError(f"{p} not found: did '{stage}' run for {source_id}, "
                                f"and is ETL_DATA_DIR ({settings.data_dir}) shared by all workers?")
    return p


def stage_dir(settings: Settings, run_id: str, stage: str) -> Path:
    d = settings.staging(run_id) / stage
    d.mkdir(parents=True, exist_ok=True)
    return d


def as_ids(source_ids: str | list[str]) -> list[str]:
    return [source_ids] if isinstance(source_ids, str) else list(source_ids)


def read_stage(settings: Settings, run_id: str, stage: str) -> pd.DataFrame:
    rows = []
    for p in sorted((settings.staging(run_id) / stage).glob("*.jsonl")):
        with p.open(encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return pd.DataFrame(rows)


def count_records(settings: Settings, run_id: str, stage: str) -> int:
    """Records of a stage, counted without parsing them (documents carry whole texts)."""
    n = 0
    for p in (settings.staging(run_id) / stage).glob("*.jsonl"):
        with p.open(encoding="utf-8") as f:
            n += sum(1 for line in f if line.strip())
    return n


def docs_dir(settings: Settings, run_id: str) -> Path:
    """The run's GX Data Docs (HTML), kept outside staging: staging is wiped on a re-run."""
    return settings.data_dir / "dq_docs" / settings.staging(run_id).name
