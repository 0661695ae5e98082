"""`python -m etl explain <mart> <key...>`: a mart figure, the facts it rests on, their quotes
and the documents they come from.

Keys are matched to the mart's key columns in order (`explain province_comparison 湖北省 2024
county cases_handled`); `column=value` picks any column. Values compare as text.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..cli_errors import USAGE, CliError
from .query import connect, snapshot_for

KEYS: dict[str, list[str]] = {
    "province_comparison": ["province", "report_year", "level", "metric", "measure", "unit"],
    "province_rank": ["report_year", "level", "metric", "province", "measure", "unit"],
    "metric_yoy": ["province", "report_year", "level", "metric", "scope", "source_id", "measure", "unit"],
    "report_coverage": ["source_id", "report_year"],
    "report_completeness": ["source_id", "report_year"],
    "agency_coverage": ["source_id", "report_year"],
}
FACT_COLS = ("fact_id, agency, report_year, metric, value, unit, qualifier, quote, start_pos, end_pos, "
             "quote_at_offsets, document_url, extractor_version")


EXAMPLE = "python -m etl explain province_comparison 湖北省 2024 province cases_handled"


def usage(mart: str | None = None) -> str:
    marts = [mart] if mart in KEYS else list(KEYS)
    return "\n".join([f"usage: python -m etl explain MART KEY... (key values in the mart's key order, "
                      f"or column=value), e.g. {EXAMPLE}"] +
                     [f"  {m}: {' '.join(KEYS[m])}" for m in marts])


def parse_keys(mart: str, args: list[str]) -> dict[str, str]:
    if mart not in KEYS:
        import difflib
        close = difflib.get_close_matches(mart.removeprefix("marts."), KEYS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise CliError(f"unknown mart {mart!r}: {hint}one of {', '.join(KEYS)}", USAGE)
    if not args:
        raise CliError(usage(mart), USAGE)
    named = dict(a.split("=", 1) for a in args if "=" in a)
    positional = [a for a in args if "=" not in a]
    if len(positional) > len(KEYS[mart]):
        raise CliError(f"{mart} has {len(KEYS[mart])} key columns, in this order: {' '.join(KEYS[mart])}", USAGE)
    return {**dict(zip(KEYS[mart], positional)), **named}


def diagnose(con, mart: str, keys: dict[str, str]) -> str:
    """Why no row matched, for people: each value the mart does not hold in its column, and
    the key column that does hold it (a value given in the wrong place)."""
    def holds(col: str, value: str) -> bool:
        return con.execute(f"SELECT count(*) FROM marts.{mart} WHERE CAST({col} AS VARCHAR) = ?",
                           [value]).fetchone()[0] > 0
    given = ", ".join(f"{k} = {v}" for k, v in keys.items())
    notes, misplaced = [], False
    for col, value in keys.items():
        if holds(col, value):
            continue
        elsewhere = [c for c in KEYS[mart] if c != col and holds(c, value)]
        misplaced |= bool(elsewhere)
        notes.append(f"{value!r} is not a {col}" + (f" (it is a {elsewhere[0]})" if elsewhere else ""))
    why = "; ".join(notes) if notes else "each value exists, but not together"
    order = f"\nkeys go in this order: {' '.join(KEYS[mart])} (or column=value)" if misplaced else ""
    return f"no row of marts.{mart} where {given}: {why}{order}"


COMPARISON_KEY = ("province", "report_year", "level", "metric", "measure", "unit")


def fact_ids_of(con, mart: str, row: dict) -> list[str] | None:
    """The facts a mart row rests on: its own fact_ids, its fact_id / prev_fact_id, or (a
    rank, a province's year on year) those of the rows it was computed from."""
    if row.get("fact_ids") is not None:
        return list(row["fact_ids"])
    if row.get("fact_id"):
        return [f for f in (row.get("fact_id"), row.get("prev_fact_id")) if f]
    key = [row.get(c) for c in COMPARISON_KEY]
    where = " AND ".join(f"{c} = ?" for c in COMPARISON_KEY)
    if mart == "province_rank":
        got = con.execute(f"SELECT fact_ids FROM marts.province_comparison WHERE {where}", key).fetchone()
        return list(got[0]) if got else []
    if mart == "metric_yoy":
        got = con.execute(f"SELECT list(fact_id) || list(prev_fact_id) FROM marts.metric_yoy "
                          f"WHERE scope = 'agency' AND {where}", key).fetchone()
        return list(got[0] or []) if got else []
    return None


def explain(con, mart: str, keys: dict[str, str], limit: int = 20) -> list[dict]:
    """Matching mart rows, each with `facts`: the provenance rows it rests on."""
    where = " AND ".join(f"CAST({c} AS VARCHAR) = ?" for c in keys) or "true"
    cur = con.execute(f"SELECT * FROM marts.{mart} WHERE {where} LIMIT {int(limit)}", list(keys.values()))
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    for row in rows:
        ids = fact_ids_of(con, mart, row)
        if ids is None and row.get("doc_id"):
            sql, params = f"SELECT {FACT_COLS} FROM marts.fact_provenance WHERE document = ? ORDER BY fact_id", [row["doc_id"]]
        elif ids is None:
            row["facts"] = []
            continue
        else:
            sql = f"SELECT {FACT_COLS} FROM marts.fact_provenance WHERE list_contains(?, fact_id) ORDER BY fact_id"
            params = [ids]
        fc = con.execute(sql, params)
        names = [d[0] for d in fc.description]
        row["facts"] = [dict(zip(names, r)) for r in fc.fetchall()]
    return rows


def explain_command(warehouse: Path, mart: str, args: list[str], db: str | None = None,
                    out: TextIO | None = None) -> int:
    import duckdb
    from .query import sql_error
    out = out or sys.stdout
    keys = parse_keys(mart, args)
    con = connect(snapshot_for(warehouse, db))
    try:
        rows = explain(con, mart, keys)
    except duckdb.Error as e:               # an unknown column=value
        raise sql_error(e) from None
    finally:
        con.close()
    if not rows:
        con = connect(snapshot_for(warehouse, db))
        try:
            raise CliError(diagnose(con, mart, keys))
        finally:
            con.close()
    for row in rows:
        facts = row.pop("facts")
        for k in ("fact_ids", "fact_id", "prev_fact_id"):
            row.pop(k, None)
        print("marts." + mart + ": " + ", ".join(f"{k}={v}" for k, v in row.items() if v is not None), file=out)
        for f in facts:
            mark = "" if f["quote_at_offsets"] else "  (quote not at its offsets!)"
            print(f"  {f['fact_id']}  {f['value']:g} {f['unit']} [{f['qualifier']}]  {f['agency']} {f['report_year']}"
                  f"\n      「{f['quote']}」 at {f['start_pos']}-{f['end_pos']}{mark}"
                  f"\n      {f['document_url']}  (extractor {f['extractor_version']})", file=out)
        print(file=out)
    return 0
