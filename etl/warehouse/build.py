"""Build the modelled layers with dbt (the project in sql/: staging, core, marts, their seeds
and schema tests) after the load has committed raw.*.

`build_models(settings)` is the one entry point (the load task, `python -m etl build`, the
benchmark): it writes a dbt profile for the warehouse file under the dbt work folder
(`settings.dbt_dir`: profiles, target, logs; never the repository), runs `dbt build` through
dbt's Python runner, then sets the data dictionary (dbt's docs in the manifest) as DuckDB
comments. An unchanged night builds nothing: the build's inputs (the project's files and
the content of every raw/dq table the models read) are fingerprinted and compared with the
last good build's (raw.model_builds).
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from ..load.lock import connect
from ..settings import Settings, dbt_dir

log = logging.getLogger(__name__)
PROFILE = "fzzf"                    # dbt_project.yml `profile:`
PROJECT_FILES = ("dbt_project.yml", "models", "seeds", "macros", "tests")
# Tables the models read only for the latest run (report_coverage's open errors): their
# part of the fingerprint is that run's rows without the columns that name the run.
LATEST_RUN_ONLY = {"raw.document_errors": ("run_id", "seen_at")}
RUN_MARKER = "raw.runs"             # read only to know which run is the latest
BUILD_LOG = "raw.model_builds"      # this module's record of good builds (the watermark)
# core.agency_figure's partitions changed since the last good build (the incremental marts
# rebuild their province-years): emptied when a build passes, kept when one fails.
CHANGE_LOG = "core.agency_figure_changes"


@dataclass
class BuildResult:
    ok: bool
    skipped: bool = False                                 # inputs as at the last good build
    failed: list[str] = field(default_factory=list)       # `model core.report: <message>` ...
    warned: list[str] = field(default_factory=list)       # tests of severity warn that found rows
    nodes: int = 0                                        # models, seeds and tests run
    seconds: float = 0.0
    fingerprint: str = ""

    def as_json(self) -> dict:
        return asdict(self)

    def reason(self) -> str:
        """One line naming the failing dbt nodes (the night's red reason)."""
        return "dbt build failed: " + "; ".join(self.failed[:5]) + (
            f" (+{len(self.failed) - 5} more)" if len(self.failed) > 5 else "")


def write_profile(warehouse: Path, work: Path) -> Path:
    """profiles.yml pointing dbt-duckdb at the warehouse file (generated, never committed)."""
    work.mkdir(parents=True, exist_ok=True)
    profile = {PROFILE: {"target": "warehouse", "outputs": {"warehouse": {
        "type": "duckdb", "path": str(warehouse), "schema": "main", "threads": 1}}}}
    (work / "profiles.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    return work


def run_dbt(args: list[str], project: Path, warehouse: Path, work: Path):
    """`dbt <args>` in this process (dbtRunner), the work folder holding profile, target and logs."""
    from dbt.cli.main import dbtRunner
    write_profile(warehouse, work)
    common = ["--project-dir", str(project), "--profiles-dir", str(work),
              "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--quiet"]
    try:
        return dbtRunner().invoke([*args, *common])
    finally:
        _release()


def _release() -> None:
    """Close the DuckDB handle dbt-duckdb keeps for the process: the build's own connections
    (comments, fingerprint) and the snapshot open the file with another configuration."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
    DuckDBConnectionManager.close_all_connections()


def failed_nodes(result, statuses: tuple[str, ...] = ("error", "fail", "runtime error")) -> list[str]:
    """`<resource> <name>: <first line of the message>` of every node that errored or failed
    (or, with statuses=("warn",), that warned)."""
    out = []
    for r in getattr(result.result, "results", None) or []:
        status = str(getattr(r.status, "value", r.status))
        if status in statuses:
            node = r.node
            msg = (r.message or status).strip().splitlines()[0] if (r.message or status).strip() else status
            out.append(f"{node.resource_type} {node.name}: {msg}")
    if not out and not result.success and "error" in statuses:
        exc = result.exception
        out.append(f"dbt: {type(exc).__name__}: {exc}" if exc else "dbt: the build did not complete")
    return out


def project_hash(project: Path) -> str:
    h = hashlib.sha256()
    for name in PROJECT_FILES:
        p = project / name
        for f in sorted([p] if p.is_file() else p.rglob("*") if p.is_dir() else []):
            if f.is_file():
                h.update(f"{f.relative_to(project)}\0".encode() + f.read_bytes() + b"\0")
    return h.hexdigest()


def content_hash(con, relation: str, params: list | None = None) -> tuple[int, int]:
    """(rows, sum of row hashes) of a table or subquery, computed by DuckDB: equal for equal
    contents whatever the row order (the build's fingerprint and the snapshot use it)."""
    row = con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {relation} x", params or []).fetchall()[0]
    return int(row[0]), int(row[1])


def source_tables(work: Path) -> list[str] | None:
    """`schema.table` of every source some model reads (the last parse's manifest)."""
    try:
        manifest = json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    used = {p for node, parents in manifest.get("parent_map", {}).items() if node.startswith("model.")
            for p in parents if p.startswith("source.")}
    return sorted(f"{s['schema']}.{s['name']}" for k, s in manifest.get("sources", {}).items() if k in used)


def inputs_fingerprint(con, project: Path, tables: list[str]) -> str:
    """`<project hash>:<data hash>`: the project's files, and the content of each source
    table the models read. Equal fingerprints build equal models; another project hash
    makes the build a full refresh (incremental models never mix two versions of the SQL)."""
    h = hashlib.sha256()
    last = con.execute(f"SELECT run_id FROM {RUN_MARKER} ORDER BY loaded_at DESC LIMIT 1").fetchall()
    for t in sorted(set(tables) - {RUN_MARKER, BUILD_LOG}):
        if t in LATEST_RUN_ONLY:
            row = content_hash(con, f"(SELECT * EXCLUDE ({', '.join(LATEST_RUN_ONLY[t])}) FROM {t} WHERE run_id = ?)",
                               [last[0][0] if last else None])
        else:
            row = content_hash(con, t)
        h.update(f"{t}\0{row}\0".encode())
    return f"{project_hash(project)}:{h.hexdigest()}"


def _last_build(con) -> str | None:
    row = con.execute("SELECT inputs FROM raw.model_builds ORDER BY built_at DESC LIMIT 1").fetchall()
    return row[0][0] if row else None


def _models_present(con, work: Path) -> bool:
    """Every relation the last manifest names exists (a deleted table forces a build)."""
    try:
        manifest = json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    want = {f"{n['schema']}.{n.get('alias') or n['name']}" for n in manifest.get("nodes", {}).values()
            if n.get("resource_type") in ("model", "seed")}
    have = {r[0] for r in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal").fetchall()}
    return bool(want) and want <= have


def build_warehouse(warehouse: Path, project: Path, work: Path | None = None, run_id: str = "",
                    force: bool = False, lock_timeout_s: float | None = None,
                    full_refresh: bool = False) -> BuildResult:
    """`dbt build` on the warehouse unless its inputs are those of the last good build (or
    `force`); a full refresh when the project changed since (or `full_refresh`). On success
    the data dictionary is set as comments and the build recorded."""
    work = work or dbt_dir(warehouse)
    t0 = time.perf_counter()
    tables = source_tables(work)
    fingerprint, last = "", None
    if tables is not None:
        con = connect(warehouse, read_only=True, timeout_s=lock_timeout_s)
        try:
            fingerprint, last = inputs_fingerprint(con, project, tables), _last_build(con)
            if not force and fingerprint == last and _models_present(con, work):
                return BuildResult(ok=True, skipped=True, seconds=time.perf_counter() - t0, fingerprint=fingerprint)
        finally:
            con.close()
    if last and last.split(":")[0] != project_hash(project):
        full_refresh = True
    result = run_dbt(["build", *(["--full-refresh"] if full_refresh else [])], project, warehouse, work)
    failed, warned = failed_nodes(result), failed_nodes(result, ("warn",))
    nodes = len(getattr(result.result, "results", None) or [])
    if failed:
        return BuildResult(ok=False, failed=failed, warned=warned, nodes=nodes, seconds=time.perf_counter() - t0)
    from .docs import apply_comments
    con = connect(warehouse, timeout_s=lock_timeout_s)
    try:
        if not fingerprint:                     # the first build: its manifest names the sources now
            fingerprint = inputs_fingerprint(con, project, source_tables(work) or [])
        con.execute("BEGIN")
        apply_comments(con, work / "target" / "manifest.json")
        con.execute(f"DELETE FROM {CHANGE_LOG}")      # its changes are in the marts now
        con.execute("INSERT INTO raw.model_builds (run_id, built_at, inputs) VALUES (?, ?, ?)",
                    [run_id, datetime.now(timezone.utc).replace(tzinfo=None), fingerprint])
        con.execute("COMMIT")
    finally:
        con.close()
    return BuildResult(ok=True, warned=warned, nodes=nodes, seconds=time.perf_counter() - t0, fingerprint=fingerprint)


def build_models(settings: Settings, run_id: str = "", force: bool = False, full_refresh: bool = False) -> BuildResult:
    """The benchmark's and the load task's entry point: build the settings' warehouse."""
    return build_warehouse(settings.warehouse, settings.sql_dir, settings.dbt_dir, run_id, force,
                           settings.load_lock_timeout_s, full_refresh)


def build_docs(warehouse: Path, project: Path, out: Path, work: Path | None = None) -> Path:
    """dbt's docs site (lineage graph, every model's and source's columns) as one
    self-contained HTML file (`dbt docs generate --static`) at `out`: opens offline."""
    work = work or dbt_dir(warehouse)
    result = run_dbt(["docs", "generate", "--static"], project, warehouse, work)
    if not result.success:
        raise RuntimeError("dbt docs generate failed: " + "; ".join(failed_nodes(result)))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes((work / "target" / "static_index.html").read_bytes())
    tmp.replace(out)
    return out


def docs_path(settings: Settings) -> Path:
    """Where `python -m etl docs` writes the site (under ETL_DATA_DIR)."""
    return settings.data_dir / "docs" / "warehouse.html"
