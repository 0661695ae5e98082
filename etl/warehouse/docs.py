"""The data dictionary: column documentation lives beside each model (`<model>.md` with a
`| column | meaning |` table; the raw DDL's tables under `sql/010_raw/`, `sql/011_dq/`), and
columns that mean the same everywhere (run_id, province, ...) once in
`sql/000_common/columns.md`. The build copies it into DuckDB comments on every table, view
and column, so `duckdb_columns()`, the CLI's `DESCRIBE`, the Parquet export (key-value
metadata) and its `views.sql` show the same words the docs do."""
from __future__ import annotations

import re
from pathlib import Path

ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")
HEADING = re.compile(r"^#\s+([a-z_]+\.[a-z_0-9]+)")
INHERITS = re.compile(r"as in `?([a-z_]+\.[a-z_0-9]+)`?")
COMMON = Path("000_common") / "columns.md"
SCHEMAS = ("raw", "dq", "staging", "core", "marts")


def read_doc(path: Path) -> tuple[str, dict[str, str]]:
    """(table description, {column: meaning}) of one model doc. A row `| (the rest) | as in
    schema.table |` is kept as the column `*` (the other table's columns fill the gaps)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    intro = []
    for line in lines[1:]:
        if line.startswith("|"):
            break
        intro.append(line.strip())
    columns: dict[str, str] = {}
    for line in lines:
        m = ROW.match(line)
        if not m or set(m.group(1)) <= set("-") or m.group(1) == "column":
            continue
        if m.group(1).startswith("(the rest)"):
            columns["*"] = m.group(2)
        for col in m.group(1).split(","):
            col = col.strip()
            if re.fullmatch(r"[a-z_][a-z_0-9]*", col):
                columns[col] = m.group(2)
    return " ".join(s for s in intro if s), columns


def doc_name(path: Path) -> str:
    """`schema.table` from the doc's heading (`# raw.documents`), else from its folder."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    m = HEADING.match(first)
    if m:
        return m.group(1)
    schema = next((s for s in SCHEMAS if s in path.parent.name), "core")
    return f"{schema}.{path.stem}"


def dictionary(sql_dir: Path) -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, str]]:
    """({schema.table: (description, {column: meaning})}, common columns), inheritance
    (`(the rest) | as in marts.fact_provenance`) resolved."""
    common = read_doc(sql_dir / COMMON)[1] if (sql_dir / COMMON).exists() else {}
    docs = {doc_name(p): read_doc(p) for p in sorted(sql_dir.glob("[0-9]*/**/*.md")) if p != sql_dir / COMMON}
    out = {}
    for name, (intro, cols) in docs.items():
        m = INHERITS.search(cols.pop("*", ""))
        if m and m.group(1) in docs:
            cols = {**docs[m.group(1)][1], **cols}
        out[name] = (intro, cols)
    return out, common


def comments(con, sql_dir: Path) -> list[tuple[str, str, str | None, str]]:
    """(TABLE|VIEW, schema.table, column or None, text) for every object of the current
    database the docs describe: the table's own doc first, then the common columns."""
    docs, common = dictionary(sql_dir)
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
        if intro and (not out or out[-1][1] != name):          # the table's own line first
            out.append((kinds.get(name, "TABLE"), name, None, intro))
        text = cols.get(col) or common.get(col)
        if text:
            out.append((kinds.get(name, "TABLE"), name, col, text))
    return out


def apply_comments(con, sql_dir: Path) -> int:
    """COMMENT ON every documented table, view and column that exists. Returns columns done."""
    todo = comments(con, sql_dir)
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
