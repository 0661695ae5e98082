"""Column documentation lives beside each model (`<model>.md` with a `| column | meaning |`
table). The build copies it into DuckDB comments, so `duckdb_columns()` and the CLI's
`DESCRIBE` show the same words the docs do."""
from __future__ import annotations

import re
from pathlib import Path

ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def read_doc(path: Path) -> tuple[str, dict[str, str]]:
    """(table description, {column: meaning}) of one model doc."""
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
        for col in m.group(1).split(","):
            col = col.strip()
            if re.fullmatch(r"[a-z_][a-z_0-9]*", col):
                columns[col] = m.group(2)
    return " ".join(s for s in intro if s), columns


def apply_comments(con, sql_dir: Path) -> int:
    """COMMENT ON every documented table and column that exists. Returns columns done."""
    existing = {(s, t, c) for s, t, c in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name IN ('core', 'marts') AND database_name = current_database()").fetchall()}
    tables = {(s, t) for s, t, _ in existing}
    kinds = dict(con.execute("SELECT schema_name || '.' || table_name, 'TABLE' FROM duckdb_tables() "
                             "UNION ALL SELECT schema_name || '.' || view_name, 'VIEW' FROM duckdb_views()").fetchall())
    n = 0
    for doc in sorted(sql_dir.glob("[0-9]*/**/*.md")):
        schema = "marts" if "mart" in doc.parent.name else "core"
        table = doc.stem
        if (schema, table) not in tables:
            continue
        intro, columns = read_doc(doc)
        kind = kinds.get(f"{schema}.{table}", "TABLE")
        con.execute(f"COMMENT ON {kind} {schema}.{table} IS {_lit(intro)}")
        if kind != "TABLE":
            continue
        for col, meaning in columns.items():
            if (schema, table, col) in existing:
                con.execute(f"COMMENT ON COLUMN {schema}.{table}.{col} IS {_lit(meaning)}")
                n += 1
    return n


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"
