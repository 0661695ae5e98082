"""`python -m etl explain <mart> <key...>`: a mart figure, the facts it rests on, their quotes
and the documents they come from.

Keys are matched to the mart's key columns in order (`explain province_comparison 湖北省 2024
county cases_handled`); `column=value` picks any column. Values compare as text.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

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


def parse_keys(mart: str, args: list[str]) -> dict[str, str]:
    if mart not in KEYS:
        raise SystemExit(f"unknown mart {mart!r}; one of: {', '.join(KEYS)}")
    named = dict(a.split("=", 1) for a in args if "=" in a)
    positional = [a for a in args if "=" not in a]
    if len(positional) > len(KEYS[mart]):
        raise SystemExit(f"{mart} has {len(KEYS[mart])} key columns: {' '.join(KEYS[mart])}")
    return {**dict(zip(KEYS[mart], positional)), **named}


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
    out = out or sys.stdout
    keys = parse_keys(mart, args)
    con = connect(snapshot_for(warehouse, db))
    try:
        rows = explain(con, mart, keys)
    finally:
        con.close()
    if not rows:
        print(f"no row of marts.{mart} where {keys}", file=out)
        return 1
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
