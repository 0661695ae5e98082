"""The run store: everything one run passes from task to task, under
`<data>/staging/<run_id>/`. The only module that knows that folder's layout; every task,
the notifier, the disclosure stage, the report and the CLI read and write through it.

Three kinds of things, each declared once below:

  datasets   one Parquet dataset per record type (DATASETS), one file per source
             (`<dataset>/<source_id>[.<part>].parquet`), schema derived from the record's
             dataclass (etl/records.py, etl/disclosure/cells.py). A task on any Celery
             worker writes only its own sources' files, each whole (tmp + rename, so shared
             storage never shows half a file); a re-run replaces a source's file, and a
             source with no rows leaves none (an earlier attempt's file is removed).
  frames     whole-run tables the validate task writes (FRAMES), one Parquet file each.
  entries    small JSON documents (ENTRIES): the plan, the run's params, summaries,
             errors, counts, the alert's outcome, the verdict.

and one marker: a source is *finished* once `process` recorded it (`finish`), the last
thing it writes; a planned source without it did not finish (`unfinished`).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import shutil
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, TypeVar, Union, get_args, get_origin, get_type_hints

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .disclosure.cells import DisclosureReport
from .files import atomic_write, read_json, write_json
from .records import DocRef, DocumentRow, ErrorRow, FactRow, Fetched, Listed
from .settings import Settings

T = TypeVar("T")


# ---- schemas from the record dataclasses ---------------------------------------------------

_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(tp: Any) -> tuple[pa.DataType, bool]:
    """(Arrow type, stored as JSON text) of a field's annotation. Free-form dicts (fetch's
    attachment records) are JSON text: their keys vary, a struct would invent columns."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):                 # X | None: every column is nullable
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _arrow_type(rest[0])
    if tp in _SCALARS:
        return _SCALARS[tp], False
    if tp is dict or origin is dict:
        return pa.string(), True
    if origin in (list, tuple) and args:
        item = args[0]
        if item in _SCALARS:
            return pa.list_(_SCALARS[item]), False
        if dataclasses.is_dataclass(item):
            return pa.list_(pa.struct(list(schema_of(item)))), False   # type: ignore[arg-type]
        if item is dict or get_origin(item) is dict:
            return pa.string(), True
    raise TypeError(f"no Parquet type for {tp!r}: give the record field a plain type")


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[tuple[str, pa.DataType, bool], ...]:
    hints = get_type_hints(cls)
    return tuple((f.name, *_arrow_type(hints[f.name])) for f in dataclasses.fields(cls))


@functools.lru_cache(maxsize=None)
def schema_of(cls: type) -> pa.Schema:
    """The Parquet schema of a record dataclass: one column per field, in order."""
    return pa.schema([pa.field(name, t) for name, t, _ in _fields(cls)])


@functools.lru_cache(maxsize=None)
def _json_fields(cls: type) -> tuple[str, ...]:
    return tuple(name for name, _, as_json in _fields(cls) if as_json)


@functools.lru_cache(maxsize=None)
def _nested(cls: type) -> tuple[tuple[str, type], ...]:
    """Fields holding a list of records (disclosure cells), with the record type."""
    hints = get_type_hints(cls)
    return tuple((f.name, get_args(hints[f.name])[0]) for f in dataclasses.fields(cls)
                 if get_origin(hints[f.name]) is list and get_args(hints[f.name])
                 and dataclasses.is_dataclass(get_args(hints[f.name])[0]))


@functools.lru_cache(maxsize=None)
def _shape(cls: type) -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, Any], ...]]:
    """(field names, required names, (name, default factory) per field) of a record class."""
    fields = dataclasses.fields(cls)
    required = frozenset(f.name for f in fields if f.default is dataclasses.MISSING
                         and f.default_factory is dataclasses.MISSING)
    makers = tuple((f.name, f.default_factory if f.default_factory is not dataclasses.MISSING
                    else (lambda v=f.default: v)) for f in fields)
    return frozenset(f.name for f in fields), required, makers


def _columns(cls: type, recs: Iterable[Any]) -> dict[str, list]:
    """Records, or dicts of their fields, as columns. A dict is checked like the record's
    constructor would (an unknown or a missing required field fails here, not in the load);
    a field it lacks takes the record's default. Column-wise: a night writes millions."""
    names, required, makers = _shape(cls)
    cols: dict[str, list] = {n: [] for n, _ in makers}
    for rec in recs:
        if isinstance(rec, dict):
            if not rec.keys() <= names or not required <= rec.keys():
                cls(**rec)                       # raises the constructor's TypeError, naming the field
            for n, make in makers:
                cols[n].append(rec[n] if n in rec else make())
        else:
            for n, _ in makers:
                cols[n].append(getattr(rec, n))
    for n in _json_fields(cls):
        cols[n] = [None if v is None else json.dumps(v, ensure_ascii=False) for v in cols[n]]
    for n, _ in _nested(cls):
        cols[n] = [[x if isinstance(x, dict) else dataclasses.asdict(x) for x in v] if v else v for v in cols[n]]
    return cols


def _record(cls: Any, row: dict[str, Any]) -> Any:
    """A Parquet row as its record; a null where the record has a default takes the default."""
    for name in _json_fields(cls):
        if row[name] is not None:
            row[name] = json.loads(row[name])
    for name, item in _nested(cls):
        row[name] = [item(**x) for x in row[name] or []]
    required = _shape(cls)[1]
    return cls(**{k: v for k, v in row.items() if v is not None or k in required})


def to_table(cls: type, recs: Iterable[Any]) -> pa.Table:
    return pa.Table.from_pydict(_columns(cls, recs), schema=schema_of(cls))


def _read(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One file, read in this thread: a few rows per file, where the dataset machinery and a
    thread pool cost more than the read (measured: ~2x)."""
    return pq.ParquetFile(path).read(columns=columns, use_threads=False)


# ---- what the store holds ------------------------------------------------------------------

@dataclass(frozen=True)
class Dataset(Generic[T]):
    """Records of one type, one Parquet file per source."""
    name: str
    record: type[T]
    doc: str

    @property
    def schema(self) -> pa.Schema:
        return schema_of(self.record)   # type: ignore[arg-type]  # a dataclass type is hashable


@dataclass(frozen=True)
class Frame:
    """A whole-run table (Parquet) with the columns its writer gives it."""
    name: str
    doc: str

    @property
    def file(self) -> str:
        return f"{self.name}.parquet"


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A small JSON document of the run; absent reads as `default()` (None without one)."""
    file: str
    doc: str
    default: Callable[[], T] | None = None


DISCOVERED = Dataset("discovered", DocRef, "reports a listing showed (discover -> fetch); an empty file: none")
DISCOVERY = Dataset("discovery", Listed, "every listed item with its decision (raw.discovery)")
FETCHED = Dataset("fetched", Fetched, "fetched reports: article and attachments in the raw store (fetch -> process)")
DOCUMENTS = Dataset("documents", DocumentRow, "processed documents (raw.documents)")
FACTS = Dataset("facts", FactRow, "extracted facts, before the data-quality suite")
ERRORS = Dataset("errors", ErrorRow, "what could not be read, per source and stage (raw.document_errors)")
DISCLOSURE = Dataset("disclosure", DisclosureReport, "政府信息公开年报 read into cells (etl/disclosure)")
DATASETS = (DISCOVERED, DISCOVERY, FETCHED, DOCUMENTS, FACTS, ERRORS, DISCLOSURE)

FACTS_VALID = Frame("facts_valid", "facts that passed every error expectation (to load)")
DQ_QUARANTINE = Frame("dq_quarantine", "dq.quarantine rows: one per held row and failed expectation")
DQ_WARNINGS = Frame("dq_warnings", "dq.warnings rows: loaded, and listed for a look")
DQ_RESULTS = Frame("dq_results", "dq.results rows: one per expectation")
DISCLOSURE_REPORTS = Frame("disclosure_reports", "disclosure reports with their status (loaded / flagged / quarantined)")
DISCLOSURE_CELLS = Frame("disclosure_cells", "disclosure cells, flagged where a failed check involves them")
DISCLOSURE_CHECKS = Frame("disclosure_checks", "disclosure checks that failed or could not be evaluated")
FRAMES = (FACTS_VALID, DQ_QUARANTINE, DQ_WARNINGS, DQ_RESULTS, DISCLOSURE_REPORTS, DISCLOSURE_CELLS,
          DISCLOSURE_CHECKS)

PLAN: Entry[list[str]] = Entry("plan.json", "the planned source ids", list)
PARAMS: Entry[dict[str, Any]] = Entry("params.json", "the DAG run's params (report_year, sources, full_recheck)", dict)
VALIDATION: Entry[dict[str, Any]] = Entry("validation.json", "the facts suite's summary (absent: validate did not finish)")
VALIDATION_ERROR: Entry[dict[str, str]] = Entry("validation_error.json", "why the suites could not run: {error}")
DISCLOSURE_VALIDATION: Entry[dict[str, Any]] = Entry("disclosure_validation.json", "the disclosure suite's summary", dict)
COUNTS: Entry[dict[str, int]] = Entry("counts.json", "the loaded run's counts (raw.runs.counts; absent: no load)")
LOAD_ERROR: Entry[dict[str, str]] = Entry("load_error.json", "why the load failed: {error}")
BUILD: Entry[dict[str, Any]] = Entry("build.json", "the dbt build's outcome: ok, skipped, failed and warned nodes")
BUILD_ERROR: Entry[dict[str, Any]] = Entry("build_error.json", "why the dbt build failed: {error, failed: [nodes]}")
ALERT: Entry[dict[str, Any]] = Entry("alert.json", "the alert's outcome: subject, verdict, delivered, failed, page")
VERDICT: Entry[dict[str, Any]] = Entry("verdict.json", "the finish task's verdict: state, verdict, reasons, kinds")
ENTRIES = (PLAN, PARAMS, VALIDATION, VALIDATION_ERROR, DISCLOSURE_VALIDATION, COUNTS, LOAD_ERROR, BUILD, BUILD_ERROR,
           ALERT, VERDICT)

_FINISHED = "finished"        # <run>/finished/<source_id>.json: {"unchanged": n}
_BUDGET = "budget"            # <run>/budget/<source_id>.json: {"discover_s": seconds}


class NotStaged(FileNotFoundError):
    """A previous task's file for a source is missing: it did not run, or this worker does
    not see the run's folder (ETL_DATA_DIR must be shared by all workers)."""


class RunStore:
    """One run's folder. Cheap to build (no I/O): build one wherever it is needed."""

    def __init__(self, settings: Settings, run_id: str):
        self.settings, self.run_id = settings, run_id
        self.root = settings.staging(run_id)

    # -- the run ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Start the run empty: a cleared, re-run DAG run never reads an earlier attempt's files."""
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def docs_dir(self) -> Path:
        """The run's GX Data Docs (HTML), kept outside the run folder: a re-run wipes that."""
        return self.settings.data_dir / "dq_docs" / self.root.name

    # -- datasets --------------------------------------------------------------------------
    def _file(self, ds: Dataset, key: str) -> Path:
        return self.root / ds.name / f"{key}.parquet"

    def write(self, ds: Dataset, source_id: str, recs: Iterable[Any], part: str = "",
              keep_empty: bool = False) -> int:
        """A source's records of `ds` (its `part`, when one task writes several), replacing
        what an earlier attempt left; no records leave no file unless `keep_empty` (an empty
        file says "ran, found nothing"). Returns how many."""
        path = self._file(ds, f"{source_id}.{part}" if part else source_id)
        table = to_table(ds.record, recs)
        if not table.num_rows and not keep_empty:
            path.unlink(missing_ok=True)
            return 0
        atomic_write(path, lambda tmp: pq.write_table(table, tmp))
        return table.num_rows

    def read(self, ds: Dataset[T], source_id: str, required: bool = False) -> list[T]:
        """A source's records of `ds` ([] when it has none). `required`: the previous task's
        file must exist (missing means it did not run here: fail loudly, never run empty)."""
        path = self._file(ds, source_id)
        if not path.exists():
            if required:
                raise NotStaged(f"{path} not found: did '{ds.name}' get written for {source_id}, and is "
                                f"ETL_DATA_DIR ({self.settings.data_dir}) shared by all workers?")
            return []
        return [_record(ds.record, r) for r in _read(path).to_pylist()]

    def column(self, ds: Dataset, source_id: str, name: str) -> list:
        """One column of a source's records, read alone (a document's text is never read for its URL)."""
        path = self._file(ds, source_id)
        return _read(path, [name]).column(name).to_pylist() if path.exists() else []

    def _files(self, ds: Dataset) -> list[Path]:
        return sorted((self.root / ds.name).glob("*.parquet"))

    def frame(self, ds: Dataset) -> pd.DataFrame:
        """Every source's records of `ds` as one DataFrame (the schema's columns, also when empty)."""
        files = self._files(ds)
        table = (pa.concat_tables([_read(f) for f in files]) if files
                 else ds.schema.empty_table())
        df = table.to_pandas()
        for name in _json_fields(ds.record):   # type: ignore[arg-type]
            df[name] = [json.loads(v) if isinstance(v, str) else v for v in df[name]]
        return df

    def keys(self, ds: Dataset) -> list[str]:
        """The file keys (source id[.part]) that hold records of `ds`, sorted."""
        return [f.name[: -len(".parquet")] for f in self._files(ds)]

    def values(self, ds: Dataset, name: str) -> list:
        """One column over every source's records, read alone."""
        return [v for f in self._files(ds) for v in _read(f, [name]).column(name).to_pylist()]

    def count(self, ds: Dataset) -> int:
        """Records of `ds` over all sources, from the Parquet footers (no text is read)."""
        return sum(pq.read_metadata(f).num_rows for f in self._files(ds))

    def counts(self, ds: Dataset) -> dict[str, int]:
        """{file key (source id[.part]): records}, from the footers."""
        return {f.name[: -len(".parquet")]: pq.read_metadata(f).num_rows for f in self._files(ds)}

    # -- frames ----------------------------------------------------------------------------
    def put_frame(self, frame: Frame, df: pd.DataFrame) -> None:
        atomic_write(self.root / frame.file, lambda tmp: df.to_parquet(tmp, index=False))

    def frame_of(self, frame: Frame, required: bool = False) -> pd.DataFrame:
        """The table as written; an empty DataFrame when it was not, unless `required`."""
        p = self.root / frame.file
        if not p.exists() and required:
            raise NotStaged(f"{p} not found: its task did not finish (or ETL_DATA_DIR is not shared by all workers)")
        return pd.read_parquet(p) if p.exists() else pd.DataFrame()

    def has_frame(self, frame: Frame) -> bool:
        return (self.root / frame.file).exists()

    # -- entries ---------------------------------------------------------------------------
    def get(self, entry: Entry[T]) -> T | None:
        """The entry as written; `entry.default()` (or None) when absent or unreadable."""
        default = entry.default() if entry.default else None
        try:
            value = read_json(self.root / entry.file, None)
        except ValueError:                 # cut short by a full disk: treated as never written
            return default
        return default if value is None else value

    def put(self, entry: Entry[T], value: T, indent: int | None = 1) -> None:
        write_json(self.root / entry.file, value, indent=indent)

    def has(self, entry: Entry) -> bool:
        return (self.root / entry.file).exists()

    def clear(self, entry: Entry) -> None:
        (self.root / entry.file).unlink(missing_ok=True)

    # -- a source's night ------------------------------------------------------------------
    def finish(self, source_id: str, unchanged: int) -> None:
        """Mark the source finished (process's last write): `unchanged` documents skipped."""
        write_json(self.root / _FINISHED / f"{source_id}.json", {"unchanged": unchanged})

    def finished(self) -> dict[str, int]:
        """{source id: documents unchanged} of every finished source."""
        return {p.stem: int((read_json(p, {}) or {}).get("unchanged", 0))
                for p in sorted((self.root / _FINISHED).glob("*.json"))}

    def is_finished(self, source_id: str) -> bool:
        return (self.root / _FINISHED / f"{source_id}.json").exists()

    def unfinished(self) -> list[str]:
        """Planned sources that did not finish (in plan order)."""
        done = {p.stem for p in (self.root / _FINISHED).glob("*.json")}
        return [sid for sid in self.get(PLAN) or [] if sid not in done]

    def record_discover_time(self, source_id: str, seconds: float) -> None:
        write_json(self.root / _BUDGET / f"{source_id}.json", {"discover_s": seconds})

    def discover_time(self, source_id: str) -> float:
        """Seconds discover spent on the source (fetch gets the rest of its budget)."""
        return float((read_json(self.root / _BUDGET / f"{source_id}.json", {}) or {}).get("discover_s", 0.0))


def runs(settings: Settings) -> list[RunStore]:
    """Every run in the data folder, oldest first (by the folder's last change)."""
    root = settings.staging("_").parent
    dirs = sorted((d for d in root.iterdir() if d.is_dir()), key=lambda d: d.stat().st_mtime) if root.is_dir() else []
    return [RunStore(settings, d.name) for d in dirs]


def latest(settings: Settings, entry: Entry[T]) -> T | None:
    """The entry of the run that wrote it last (what `make demo` just ran), None if none did."""
    runs = settings.staging("_").parent
    files = sorted(runs.glob(f"*/{entry.file}"), key=lambda p: p.stat().st_mtime)
    for f in reversed(files):
        try:
            return read_json(f)
        except ValueError:
            continue
    return None
