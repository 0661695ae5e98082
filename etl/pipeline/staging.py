"""The run's staging folder (`<data>/staging/<run_id>/<stage>/<source_id>.jsonl`) and the
one atomic-write helper every file of the pipeline goes through (tmp + rename: a crashed
task never leaves a half-written file for the next stage to read)."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from ..records import to_json_dict
from ..settings import Settings


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(tmp)` then rename tmp over `path`. The temp name is unique, so two
    workers writing the same file never interleave; the last rename wins whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        try:
            write(tmp)
        except OSError:                    # the first file in its folder (a syscall saved on all others)
            if path.parent.is_dir():
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            write(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, obj: Any, indent: int | None = None) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(
        json.dumps(obj, ensure_ascii=False, default=str, indent=indent), encoding="utf-8"))


class JsonState:
    """A state file (`state/...json`) read whole, written back only when it changed:
    an unchanged night leaves the state folder untouched."""

    def __init__(self, path: Path):
        self.path = path
        self._text = path.read_text(encoding="utf-8") if path.exists() else ""
        self.data: dict = json.loads(self._text) if self._text else {}

    def save(self) -> None:
        text = json.dumps(self.data, ensure_ascii=False, default=str)
        if text != self._text:
            atomic_write(self.path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
            self._text = text


def write_jsonl(path: Path, recs: Iterable[Any]) -> int:
    """Records (dataclasses or dicts), one JSON object a line; returns how many."""
    n = 0

    def write(tmp: Path) -> None:
        nonlocal n
        with tmp.open("w", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r if isinstance(r, dict) else to_json_dict(r), ensure_ascii=False) + "\n")
                n += 1
    atomic_write(path, write)
    return n


def write_rows(path: Path, recs: list) -> int:
    """Like write_jsonl, but no rows leave no file (readers glob a stage, a missing file is
    no rows; an earlier attempt's file is removed): an unchanged source writes nothing."""
    if recs:
        return write_jsonl(path, recs)
    path.unlink(missing_ok=True)
    return 0


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False))


def read_json(path: Path, default: Any = None) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


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
