"""Build the modelled layers (sql/020_staging, 030_core, 040_marts) inside the load's
transaction, after the raw rows are written: marts are tables, rebuilt on every load, so
analysts' queries read precomputed rows instead of recomputing views.

Model files may be named freely: they are applied layer folder by layer folder, and
inside that in dependency order (a file that reads `core.report` runs after the file that
creates it), the way dbt orders models by their refs.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from ..settings import ROOT
from .docs import apply_comments

CREATES = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+\.[a-z_0-9]+)", re.I)
CREATES_KIND = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+\.[a-z_0-9]+)", re.I)
REFERENCE = re.compile(r"\b((?:raw|staging|core|marts)\.[a-z_0-9]+)\b", re.I)
REGIONS_TSV = ROOT / "etl" / "data" / "regions.tsv"
CATALOG_YAML = ROOT / "etl" / "catalog.yaml"


def model_files(sql_dir: Path) -> list[Path]:
    """The model files under the layer folders, each after the files it reads from."""
    files = sorted(p for p in sql_dir.glob("[0-9]*/**/*.sql"))
    text = {f: re.sub(r"--[^\n]*", "", f.read_text(encoding="utf-8")) for f in files}
    creator = {name.lower(): f for f in files for name in CREATES.findall(text[f])}
    needs = {f: {creator[r.lower()] for r in REFERENCE.findall(text[f])
                 if r.lower() in creator and creator[r.lower()] != f} for f in files}
    ordered: list[Path] = []
    visiting: set[Path] = set()

    def visit(f: Path) -> None:
        if f in ordered:
            return
        if f in visiting:
            raise ValueError(f"models depend on each other in a cycle: {f}")
        visiting.add(f)
        for dep in sorted(needs[f]):
            visit(dep)
        visiting.discard(f)
        ordered.append(f)

    for f in files:
        visit(f)
    return ordered


def regions_frame(path: Path = REGIONS_TSV) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)


def metric_frame() -> pd.DataFrame:
    """The metric dictionary from the extractor's catalog (its API when present, else the YAML)."""
    try:
        from ..extract.catalog import metric_dictionary
        rows = list(metric_dictionary())
    except (ImportError, AttributeError):
        rows = _catalog_yaml_rows(CATALOG_YAML)
    cols = ["metric", "name_zh", "definition", "category", "units", "min_value", "max_value"]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    df["units"] = df["units"].map(lambda u: list(u) if isinstance(u, (list, tuple)) else [])
    for c in ("min_value", "max_value"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def _catalog_yaml_rows(path: Path) -> list[dict]:
    import yaml
    metrics = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("metrics", {})
    rows = []
    for mid, m in metrics.items():
        lo, hi = (m.get("range") or [None, None])[:2]
        kw = m.get("keywords") or []
        rows.append({"metric": mid, "name_zh": m.get("name_zh") or (kw[0] if kw else None),
                     "definition": m.get("definition") or ("keywords: " + "、".join(kw) if kw else None),
                     "category": m.get("category"), "units": m.get("units") or [],
                     "min_value": lo, "max_value": hi})
    return rows


def subject_frame(con) -> pd.DataFrame:
    """Subjects of percentage facts in Simplified characters (辦結率 -> 办结率), so one
    rate is one measure whatever script its report used."""
    from ..extract.vocabulary import percent_units
    from ..normalize import to_simplified
    subjects = [r[0] for r in con.execute(
        "SELECT DISTINCT subject FROM raw.facts WHERE list_contains(?, unit) AND subject IS NOT NULL",
        [list(percent_units())]).fetchall()]
    return pd.DataFrame({"subject": subjects, "subject_hans": [to_simplified(s) for s in subjects]},
                        columns=["subject", "subject_hans"]).astype(str)


def _drop_if_kind_changed(con, sql: str) -> None:
    """A model that became a view (or a table) replaces the old object of the other kind:
    CREATE OR REPLACE cannot, so the old one is dropped first (same transaction)."""
    existing = dict(con.execute(
        "SELECT schema_name || '.' || table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name || '.' || view_name, 'VIEW' FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal").fetchall())
    for kind, name in CREATES_KIND.findall(re.sub(r"--[^\n]*", "", sql)):
        old = existing.get(name.lower())
        if old and old != kind.upper():
            con.execute(f"DROP {old} {name}")


def model_sources(con) -> dict[str, pd.DataFrame]:
    """The frames the models read besides the warehouse's own tables."""
    return {"src_region": regions_frame(), "src_metric": metric_frame(), "src_subject_hans": subject_frame(con)}


def build_models(con, sql_dir: Path, sources: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """Apply every model file (in the caller's transaction). Returns the files applied."""
    sources = sources if sources is not None else model_sources(con)
    for name, df in sources.items():
        con.register(name, df)
    try:
        applied = []
        for f in model_files(sql_dir):
            sql = f.read_text(encoding="utf-8")
            _drop_if_kind_changed(con, sql)
            con.execute(sql)
            applied.append(str(f.relative_to(sql_dir)))
        apply_comments(con, sql_dir)
    finally:
        for name in sources:           # after a failed statement the caller rolls back
            try:
                con.unregister(name)
            except Exception:
                pass
    return applied


def content_hash(con, relation: str, params: list | None = None) -> tuple[int, int]:
    """(rows, sum of row hashes) of a table or subquery, computed by DuckDB: equal for equal
    contents whatever the row order. The models' rebuild check and the snapshot use it."""
    return tuple(con.execute(f"SELECT count(*), coalesce(sum(hash(x)), 0) FROM {relation} x",
                             params or []).fetchall()[0])


# Tables the models read only for the latest run (report_coverage's open errors): their
# part of the fingerprint is that run's rows without the columns that name the run.
LATEST_RUN_ONLY = {"raw.document_errors": ("run_id", "seen_at")}
RUN_MARKER = "raw.runs"        # read only to know which run is the latest
RAW_REFERENCE = re.compile(r"\b((?:raw|dq)\.[a-z_0-9]+)\b", re.I)


def inputs_fingerprint(con, sql_dir: Path, run_id: str, sources: dict[str, pd.DataFrame]) -> str:
    """A hash of everything the models are built from: the model and doc files, the frames
    they read, and the content of each raw table they name (row count and a sum of row
    hashes, computed by DuckDB). Equal fingerprints build equal models."""
    h = hashlib.sha256()
    files = sorted(p for p in sql_dir.glob("[0-9]*/**/*") if p.suffix in (".sql", ".md"))
    tables: set[str] = set()
    for f in files:
        text = f.read_text(encoding="utf-8")
        h.update(f"{f.relative_to(sql_dir)}\0{text}\0".encode())
        if f.suffix == ".sql":
            tables |= {t.lower() for t in RAW_REFERENCE.findall(re.sub(r"--[^\n]*", "", text))}
    for name, df in sorted(sources.items()):
        h.update(f"{name}\0{df.to_json(orient='split', force_ascii=False)}\0".encode())
    for t in sorted(tables - {RUN_MARKER}):
        if t in LATEST_RUN_ONLY:
            row = content_hash(con, f"(SELECT * EXCLUDE ({', '.join(LATEST_RUN_ONLY[t])}) FROM {t} WHERE run_id = ?)",
                               [run_id])
        else:
            row = content_hash(con, t)
        h.update(f"{t}\0{row}\0".encode())
    return h.hexdigest()


def models_present(con, sql_dir: Path) -> bool:
    """Every table and view the model files create exists."""
    want = {n.lower() for f in model_files(sql_dir)
            for n in CREATES.findall(re.sub(r"--[^\n]*", "", f.read_text(encoding="utf-8")))}
    have = {r[0] for r in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal").fetchall()}
    return want <= have


def refresh_models(con, sql_dir: Path, run_id: str, now) -> bool:
    """Rebuild the models unless their inputs are exactly those of the last build (an
    unchanged night): True when rebuilt. The build is recorded in raw.model_builds."""
    sources = model_sources(con)
    fp = inputs_fingerprint(con, sql_dir, run_id, sources)
    last = con.execute("SELECT inputs FROM raw.model_builds ORDER BY built_at DESC LIMIT 1").fetchall()
    if last and last[0][0] == fp and models_present(con, sql_dir):
        return False
    build_models(con, sql_dir, sources)
    con.execute("INSERT INTO raw.model_builds (run_id, built_at, inputs) VALUES (?, ?, ?)", [run_id, now, fp])
    return True
