"""The data dictionary is dbt's documentation: `sql/models/*/schema.yml` (models),
`sql/models/sources.yml` (the loader's raw.* and dq.* tables), `sql/seeds/seeds.yml`, and the
columns that mean the same everywhere once, as doc blocks in `sql/models/common_columns.md`.
dbt resolves them into its manifest; the build copies them from there into DuckDB comments
on every table, view and column, so `duckdb_columns()`, the CLI's `DESCRIBE`, the Parquet
export (key-value metadata), its `views.sql` and dbt's docs site show the same words."""
from __future__ import annotations

import json
from pathlib import Path

SCHEMAS = ("raw", "dq", "staging", "core", "marts")


def dictionary(manifest_path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """{schema.table: (description, {column: description})} of every model, seed and source
    the manifest documents (doc blocks resolved by dbt)."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    nodes = [n for n in manifest.get("nodes", {}).values() if n.get("resource_type") in ("model", "seed")]
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for n in [*nodes, *manifest.get("sources", {}).values()]:
        name = f"{n['schema']}.{n.get('alias') or n.get('identifier') or n['name']}"
        cols = {c: (v.get("description") or "").strip() for c, v in (n.get("columns") or {}).items()}
        out[name] = ((n.get("description") or "").strip(), {c: d for c, d in cols.items() if d})
    return out


def comments(con, manifest_path: Path) -> list[tuple[str, str, str | None, str]]:
    """(TABLE|VIEW, schema.table, column or None, text) for every object of the current
    database the docs describe, the table's own line first."""
    docs = dictionary(manifest_path)
    kinds = dict(con.execute(
        "SELECT schema_name || '.' || table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name || '.' || view_name, 'VIEW' FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal").fetchall())
    out: list[tuple[str, str, str | None, str]] = []
    for name, col in con.execute(
            "SELECT schema_name || '.' || table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND list_contains(?, schema_name) "
            "ORDER BY schema_name, table_name, column_index", [list(SCHEMAS)]).fetchall():
        intro, cols = docs.get(name, ("", {}))
        if intro and (not out or out[-1][1] != name):
            out.append((kinds.get(name, "TABLE"), name, None, intro))
        if cols.get(col):
            out.append((kinds.get(name, "TABLE"), name, col, cols[col]))
    return out


def apply_comments(con, manifest_path: Path) -> int:
    """COMMENT ON every documented table, view and column that exists. Returns columns done."""
    todo = comments(con, manifest_path)
    stmts = [f"COMMENT ON {kind} {name} IS {_lit(text)};" if col is None else
             f"COMMENT ON COLUMN {name}.{_ident(col)} IS {_lit(text)};" for kind, name, col, text in todo]
    if stmts:
        con.execute("\n".join(stmts))            # one call, not one per comment
    return sum(1 for _, _, col, _ in todo if col is not None)


def undocumented(con) -> list[str]:
    """`schema.table.column` of every column (and `schema.table` of every table or view)
    in the warehouse schemas that has no comment."""
    cols = [f"{s}.{t}.{c}" for s, t, c in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND list_contains(?, schema_name) AND coalesce(comment, '') = '' ORDER BY 1, 2", [list(SCHEMAS)]).fetchall()]
    tables = [n for (n,) in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND list_contains(?, schema_name) AND coalesce(comment, '') = '' UNION ALL "
        "SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = current_database() "
        "AND list_contains(?, schema_name) AND coalesce(comment, '') = '' ORDER BY 1",
        [list(SCHEMAS), list(SCHEMAS)]).fetchall()]
    return tables + cols


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"
