"""The static HTML report after each run: `python -m etl report --out FILE`.

One self-contained file that reads offline: plotly.js is inlined, the figures come from
the marts of the published snapshot, and every figure links to the facts it rests on
(quote, document URL, offsets, extractor version). Tables carry `data-mart`, `data-key`
and `data-col` on each number so a reader (or a test) can check them against the marts.
"""
from __future__ import annotations

import hashlib
import html
import json
from datetime import datetime, timezone
from pathlib import Path

TOP_METRICS = 6
TREND_METRICS = 4
FACTS_PER_FIGURE = 20      # the rest: `python -m etl explain` (a page stays readable at 10M facts)


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


def anchor(*key) -> str:
    return "f-" + hashlib.sha1(json.dumps(key, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


def gather(con) -> dict:
    """Everything the page shows, read from the marts."""
    run = _rows(con, "SELECT run_id, loaded_at, counts FROM raw.runs ORDER BY loaded_at DESC LIMIT 1")
    year = con.execute("SELECT max(report_year) FROM marts.province_comparison").fetchone()[0]
    top = [m for (m,) in con.execute(
        "SELECT metric FROM marts.province_comparison WHERE kind = 'count' AND report_year = ? "
        "GROUP BY metric ORDER BY count(DISTINCT province) DESC, sum(n_agencies) DESC, metric LIMIT ?",
        [year, TOP_METRICS]).fetchall()]
    comparison = _rows(con, """
        SELECT c.*, m.name_zh FROM marts.province_comparison c LEFT JOIN core.dim_metric m USING (metric)
        WHERE c.report_year = ? AND list_contains(?, c.metric) AND c.kind = 'count'
        ORDER BY c.metric, c.level, c.province, c.unit""", [year, top])
    rates = _rows(con, """SELECT * FROM marts.province_comparison WHERE report_year = ? AND kind = 'rate'
                          ORDER BY measure, level, province""", [year])
    coverage = _rows(con, """
        SELECT province, report_year, count(*) AS n_registered, count(*) FILTER (WHERE found) AS n_found,
               count(*) FILTER (WHERE timeliness = 'on_time') AS n_on_time,
               count(*) FILTER (WHERE timeliness = 'late') AS n_late
        FROM marts.report_coverage GROUP BY ALL ORDER BY province, report_year""")
    missing = _rows(con, "SELECT agency, province, report_year, timeliness, open_errors FROM marts.report_coverage "
                         "WHERE timeliness IN ('missing', 'late') ORDER BY province, agency, report_year")
    trend_metrics = top[:TREND_METRICS]
    trends = _rows(con, """SELECT province, level, metric, unit, report_year, total FROM marts.province_comparison
                           WHERE kind = 'count' AND list_contains(?, metric) ORDER BY metric, province, level, report_year""",
                   [trend_metrics])
    completeness = _rows(con, "SELECT agency, report_year, n_sections_present, missing_sections FROM marts.report_completeness "
                              "ORDER BY n_sections_present, agency, report_year")
    ids = sorted({f for r in comparison + rates for f in r["fact_ids"][:FACTS_PER_FIGURE]})
    facts = {f["fact_id"]: f for f in _rows(con, "SELECT * FROM marts.fact_provenance WHERE list_contains(?, fact_id)", [ids])}
    quarantine = _quarantine(con, run[0]["run_id"] if run else "")
    return {"run": run[0] if run else None, "year": year, "top": top, "comparison": comparison, "rates": rates,
            "coverage": coverage, "missing": missing, "trends": trends, "completeness": completeness,
            "facts": facts, "quarantine": quarantine}


def _quarantine(con, run_id: str) -> list[dict]:
    """The run's top quarantine reasons (dq.quarantine, or raw.quarantine in older files)."""
    tables = {f"{s}.{t}" for s, t in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    for table, col in (("dq.quarantine", "reason"), ("raw.quarantine", "reasons")):
        if table in tables:
            return _rows(con, f"SELECT {col} AS reasons, count(*) AS n FROM {table} WHERE run_id = ? "
                              "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5", [run_id])
    return []


def _cell(mart: str, key: dict, col: str, value, href: str | None = None) -> str:
    text = fmt(value)
    inner = f'<a href="#{href}">{text}</a>' if href else text
    k = html.escape(json.dumps(key, ensure_ascii=False, default=str), quote=True)
    raw = "" if value is None else html.escape(str(value), quote=True)
    return f'<td class="num" data-mart="{mart}" data-key="{k}" data-col="{col}" data-value="{raw}">{inner}</td>'


def _comparison_key(r: dict) -> dict:
    return {c: r[c] for c in ("province", "report_year", "level", "metric", "measure", "unit")}


def charts(d: dict) -> list[dict]:
    """Plotly figures as plain dicts: {id, title, data, layout}; customdata = fact anchor."""
    import plotly.graph_objects as go
    out = []
    for metric in d["top"]:
        rows = [r for r in d["comparison"] if r["metric"] == metric]
        units = sorted({r["unit"] for r in rows}, key=lambda u: -sum(r["n_agencies"] for r in rows if r["unit"] == u))
        rows = [r for r in rows if r["unit"] == units[0]]      # one unit per chart: never mix counters
        fig = go.Figure()
        for level in ("province", "city", "county"):
            lr = [r for r in rows if r["level"] == level]
            if lr:
                fig.add_bar(name=level, x=[r["province"] for r in lr], y=[r["total"] for r in lr],
                            customdata=[anchor(*_comparison_key(r).values()) for r in lr],
                            hovertemplate="%{x}: %{y:,} " + units[0] + " (" + level + ")<extra></extra>")
        name = rows[0]["name_zh"] or metric
        fig.update_layout(barmode="group", title=f"{name} ({metric}, {units[0]}), {d['year']}: total by province, per level",
                          template="plotly_white", height=340, margin=dict(t=50, b=40, l=60, r=20))
        out.append({"id": f"chart-metric-{metric}", "kind": "metric", "metric": metric, "unit": units[0], "fig": fig})
    provinces = sorted({r["province"] for r in d["coverage"]})
    years = sorted({r["report_year"] for r in d["coverage"]})
    cov = {(r["province"], r["report_year"]): r for r in d["coverage"]}
    z = [[round(100 * cov[(p, y)]["n_found"] / cov[(p, y)]["n_registered"], 1) if (p, y) in cov else None for y in years] for p in provinces]
    text = [[f"{cov[(p, y)]['n_found']}/{cov[(p, y)]['n_registered']} found, {cov[(p, y)]['n_on_time']} on time" if (p, y) in cov else ""
             for y in years] for p in provinces]
    fig = go.Figure(go.Heatmap(x=[str(y) for y in years], y=provinces, z=z, text=text, texttemplate="%{text}",
                               zmin=0, zmax=100, colorscale="Blues", colorbar=dict(title="% found")))
    fig.update_layout(title="Report coverage: registered agencies with a report found, by province and year",
                      template="plotly_white", height=120 + 40 * len(provinces), margin=dict(t=50, b=40, l=90, r=20))
    out.append({"id": "chart-coverage", "kind": "coverage", "fig": fig})
    for metric in sorted({r["metric"] for r in d["trends"]}, key=d["top"].index):
        rows = [r for r in d["trends"] if r["metric"] == metric]
        unit = max({r["unit"] for r in rows}, key=lambda u: sum(1 for r in rows if r["unit"] == u))
        fig = go.Figure()
        for (prov, level) in sorted({(r["province"], r["level"]) for r in rows if r["unit"] == unit}):
            pr = [r for r in rows if (r["province"], r["level"], r["unit"]) == (prov, level, unit)]
            fig.add_scatter(mode="lines+markers", name=f"{prov} ({level})", x=[r["report_year"] for r in pr],
                            y=[r["total"] for r in pr])
        fig.update_layout(title=f"Trend: {metric} ({unit}) by province and level", template="plotly_white", height=320,
                          xaxis=dict(dtick=1), margin=dict(t=50, b=40, l=60, r=20))
        out.append({"id": f"chart-trend-{metric}", "kind": "trend", "metric": metric, "unit": unit, "fig": fig})
    return out


def _dq(d: dict) -> str:
    run = d["run"] or {}
    counts = json.loads(run.get("counts") or "{}") if isinstance(run.get("counts"), str) else (run.get("counts") or {})
    bad = int(counts.get("facts_quarantined", 0) or 0) + int(counts.get("documents_failed", 0) or 0)
    status = "ok" if not bad else "attention"
    items = "".join(f"<li>{html.escape(k.replace('_', ' '))}: <b data-count='{html.escape(k)}'>{fmt(v)}</b></li>"
                    for k, v in counts.items() if isinstance(v, (int, float)))
    reasons = "".join(f"<li>{html.escape(str(q['reasons']))}: {q['n']}</li>" for q in d["quarantine"])
    return (f'<section id="dq"><h2>Data quality of run {html.escape(str(run.get("run_id", "")))}: '
            f'<span class="dq-{status}" id="dq-status">{status}</span></h2><ul>{items}</ul>'
            + (f"<p>Top quarantine reasons:</p><ul>{reasons}</ul>" if reasons else "") + "</section>")


def _tables(d: dict) -> str:
    parts = [f"<section id='comparison'><h2>Figures by province, report year {d['year']}</h2>"
             "<p>One figure per agency (its largest mention: restatements and 其中 breakdowns are not added again); "
             "levels are never added together; a <i>+</i> marks a total that is only a lower bound (余/以上).</p>"
             "<table><tr><th>metric</th><th>level</th><th>province</th><th>unit</th><th>agencies</th><th>total</th>"
             "<th>median</th><th>lower bounds</th></tr>"]
    for r in d["comparison"]:
        key, a = _comparison_key(r), anchor(*_comparison_key(r).values())
        parts.append(f"<tr><td>{html.escape(r['name_zh'] or r['metric'])}</td><td>{r['level']}</td><td>{html.escape(r['province'])}</td>"
                     f"<td>{html.escape(r['unit'])}</td>{_cell('province_comparison', key, 'n_agencies', r['n_agencies'])}"
                     f"{_cell('province_comparison', key, 'total', r['total'], a)}{_cell('province_comparison', key, 'median', r['median'])}"
                     f"{_cell('province_comparison', key, 'n_lower_bounds', r['n_lower_bounds'])}</tr>")
    parts.append("</table></section><section id='rates'><h2>Rates (each rate on its own: never averaged with another)</h2>"
                 "<table><tr><th>rate</th><th>level</th><th>province</th><th>agencies</th><th>median %</th><th>min</th><th>max</th></tr>")
    for r in d["rates"]:
        key, a = _comparison_key(r), anchor(*_comparison_key(r).values())
        parts.append(f"<tr><td>{html.escape(r['measure'])}</td><td>{r['level']}</td><td>{html.escape(r['province'])}</td>"
                     f"{_cell('province_comparison', key, 'n_agencies', r['n_agencies'])}{_cell('province_comparison', key, 'median', r['median'], a)}"
                     f"{_cell('province_comparison', key, 'min', r['min'])}{_cell('province_comparison', key, 'max', r['max'])}</tr>")
    parts.append("</table></section><section id='missing'><h2>Missing or late reports</h2><table>"
                 "<tr><th>agency</th><th>province</th><th>year</th><th>status</th><th>what the last run saw</th></tr>")
    for r in d["missing"]:
        parts.append(f"<tr class='cov-{r['timeliness']}'><td>{html.escape(r['agency'])}</td><td>{html.escape(r['province'])}</td>"
                     f"<td>{r['report_year']}</td><td>{r['timeliness']}</td><td>{html.escape(r['open_errors'] or '')}</td></tr>")
    parts.append("</table></section><section id='completeness'><h2>Mandated sections</h2><table>"
                 "<tr><th>agency</th><th>year</th><th>present (of 4)</th><th>missing</th></tr>")
    for r in d["completeness"]:
        parts.append(f"<tr><td>{html.escape(r['agency'])}</td><td>{r['report_year']}</td><td>{r['n_sections_present']}</td>"
                     f"<td>{html.escape('、'.join(r['missing_sections']))}</td></tr>")
    parts.append("</table></section>")
    return "".join(parts)


def _facts(d: dict) -> str:
    parts = ["<section id='facts'><h2>Facts behind the figures</h2>"]
    for r in d["comparison"] + d["rates"]:
        key = _comparison_key(r)
        parts.append(f"<div class='facts' id='{anchor(*key.values())}'><h3>{html.escape(' · '.join(str(v) for v in key.values()))}</h3><ol>")
        for fid in r["fact_ids"][:FACTS_PER_FIGURE]:
            f = d["facts"].get(fid)
            if f:
                parts.append(f"<li data-fact='{html.escape(fid)}'>{html.escape(f['agency'])}: <q>{html.escape(f['quote'])}</q> "
                             f"= {fmt(f['value'])} {html.escape(f['unit'])} ({f['qualifier']}), chars {f['start_pos']}–{f['end_pos']} of "
                             f"<a href='{html.escape(f['document_url'], quote=True)}'>{html.escape(f['document_title'] or f['document_url'])}</a>, "
                             f"extractor {html.escape(str(f['extractor_version']))}</li>")
        more = len(r["fact_ids"]) - FACTS_PER_FIGURE
        if more > 0:
            args = " ".join(str(v) for v in key.values())
            parts.append(f"<li class='more'>… and {more} more: <code>python -m etl explain province_comparison {html.escape(args)}</code></li>")
        parts.append("</ol></div>")
    parts.append("</section>")
    return "".join(parts)


CSS = """body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em;max-width:1200px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:2px 8px}td.num{text-align:right}
.dq-ok{color:#070}.dq-attention{color:#b00}.chart{margin:1em 0}.facts:target{background:#ffd}"""


def render(d: dict, snapshot: str) -> str:
    from plotly.offline import get_plotlyjs
    figs = charts(d)
    divs = "".join(f"<div class='chart' id='{c['id']}' data-kind='{c['kind']}'></div>" for c in figs)
    specs = {c["id"]: c["fig"].to_dict() for c in figs}    # plain lists (to_json would base64 them)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    script = ("const SPECS = JSON.parse(document.getElementById('chart-specs').textContent);\n"
              "for (const [id, s] of Object.entries(SPECS)) {\n"
              "  const el = document.getElementById(id);\n"
              "  Plotly.newPlot(el, s.data, s.layout, {displayModeBar: false, responsive: true});\n"
              "  el.on('plotly_click', ev => { const a = ev.points[0].customdata; if (a) location.hash = a; });\n"
              "}\ndocument.body.dataset.chartsRendered = Object.keys(SPECS).length;\n")
    specs_json = json.dumps(specs, ensure_ascii=False, default=str).replace("</", "<\\/")
    return (f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>法治政府建设 report statistics</title>"
            f"<style>{CSS}</style><script>{get_plotlyjs()}</script></head><body>"
            f"<h1>法治政府建设 report statistics</h1><p>Built {now} from the snapshot <code>{html.escape(snapshot)}</code>. "
            f"Click a bar or a figure to see the facts it rests on.</p>{_dq(d)}<section id='charts'>{divs}</section>"
            f"{_tables(d)}{_facts(d)}"
            f"<script type='application/json' id='chart-specs'>{specs_json}</script><script>{script}</script></body></html>")


def write_report(snapshot: Path, out: Path) -> Path:
    import duckdb
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        d = gather(con)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render(d, str(snapshot)), encoding="utf-8")
    tmp.replace(out)
    return out
