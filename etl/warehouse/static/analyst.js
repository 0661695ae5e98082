// The analyst view (etl/warehouse/report_html.py): plain JS over the data inlined in the page.
// Nothing is fetched. Every number shown keeps data-mart / data-key / data-col.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("view-data").textContent);
  const M = JSON.parse(document.getElementById("map-data").textContent);
  const LEVELS = D.levels, COLOURS = D.level_colours;
  const SVG = "http://www.w3.org/2000/svg";
  const years = [...new Set(D.rows.map(r => r.report_year).concat(D.reports.map(r => r.report_year)))].sort((a, b) => b - a);
  const S = {year: years[0], metric: "", levels: new Set(LEVELS), province: "", agency: "", scale: "auto"};
  D.rows.forEach((r, i) => { r.i = i; });
  const PRESENT = new Set(D.rows.map(r => r.level).concat(D.reports.map(r => r.level)));
  const figuresByRow = new Map();
  D.figures.forEach(f => { if (f.row != null) { if (!figuresByRow.has(f.row)) figuresByRow.set(f.row, []); figuresByRow.get(f.row).push(f); } });

  // ---- helpers -------------------------------------------------------------------------
  const esc = s => String(s == null ? "" : s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  function fmt(v) {                       // as etl.warehouse.report_html.fmt
    if (v == null) return "–";
    if (typeof v !== "number") return esc(v);
    if (Number.isInteger(v)) return v.toLocaleString("en-US");
    return v.toLocaleString("en-US", {maximumFractionDigits: 2});
  }
  const el = (tag, attrs, html) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); if (html != null) e.innerHTML = html; return e; };
  const sv = (tag, attrs) => { const e = document.createElementNS(SVG, tag); for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); return e; };
  const keyOf = r => ({province: r.province, report_year: r.report_year, level: "level_mart" in r ? r.level_mart : r.level,
                       metric: r.metric, measure: r.measure, unit: r.unit});
  const keyAttr = r => esc(JSON.stringify(keyOf(r)));
  const metricName = r => r.name_zh ? `${r.name_zh} (${r.metric})` : r.metric;
  const QUAL = {more_than: "more than (余/多/以上)", at_least: "at least", approx: "approximately (约/近)", at_most: "at most (不足/以下)", exact: "exact"};
  const QMARK = {more_than: "≥", at_least: "≥", approx: "≈", at_most: "≤", exact: ""};
  const swatch = lvl => `<span class="swatch lvl-${esc(lvl)}" data-level="${esc(lvl)}" title="${esc(lvl)}"></span>`;
  const num = (r, col, text) => `<td class="num" data-mart="province_comparison" data-key="${keyAttr(r)}" data-col="${col}" data-value="${r[col] == null ? "" : esc(r[col])}">${text == null ? fmt(r[col]) : text}</td>`;

  function shown() {                      // the rows every part of the page shows
    return D.rows.filter(r => r.report_year === S.year && (!S.metric || r.metric === S.metric)
      && S.levels.has(r.level) && (!S.province || r.province === S.province));
  }
  function reportsShown(withProvince) {
    return D.reports.filter(r => r.report_year === S.year && S.levels.has(r.level) && (!withProvince || !S.province || r.province === S.province));
  }

  // ---- run status ----------------------------------------------------------------------
  function runSection() {
    const R = D.run, sec = el("section", {id: "run", class: `run run-${R.state}`});
    const problems = R.problems.map(p => `<li>${esc(p)}</li>`).join("");
    const notes = R.notes.map(p => `<p class="note">${esc(p)}</p>`).join("");
    const counters = Object.entries(R.counts).filter(([, v]) => typeof v === "number")
      .map(([k, v]) => `<li>${esc(k.replace(/_/g, " "))}: <b data-count="${esc(k)}">${fmt(v)}</b></li>`).join("");
    sec.innerHTML = `<h2>Last run <code>${esc(R.run_id)}</code>: <span id="run-state" class="state-${R.state}">${esc(R.headline)}</span></h2>`
      + notes + (problems ? `<ul class="problems">${problems}</ul>` : "")
      + `<details><summary>Counters of this run</summary><ul class="counters">${counters}</ul></details>`;
    return sec;
  }

  // ---- filters -------------------------------------------------------------------------
  function filters() {
    const nav = el("nav", {id: "filters", "aria-label": "filters"});
    const yearRows = D.rows.filter(r => r.report_year === S.year);
    const metrics = new Map();
    yearRows.forEach(r => { const m = metrics.get(r.metric) || {r, provinces: new Set()}; m.provinces.add(r.province); metrics.set(r.metric, m); });
    const metricOpts = [...metrics.values()].sort((a, b) => b.provinces.size - a.provinces.size || a.r.metric.localeCompare(b.r.metric))
      .map(m => `<option value="${esc(m.r.metric)}"${m.r.metric === S.metric ? " selected" : ""}>${esc(metricName(m.r))} · ${m.provinces.size} prov.</option>`).join("");
    const provinces = [...new Set(D.reports.map(r => r.province))].sort();
    nav.innerHTML =
      `<label>Year <select id="f-year">${years.map(y => `<option${y === S.year ? " selected" : ""}>${y}</option>`).join("")}</select></label>`
      + `<label>Metric <select id="f-metric"><option value="">all ${metrics.size} metrics with data</option>${metricOpts}</select></label>`
      + `<fieldset id="f-levels"><legend>Level</legend>${LEVELS.filter(l => PRESENT.has(l)).map(l =>
          `<label class="lvl-${l}">${swatch(l)}<input type="checkbox" class="f-level" value="${l}"${S.levels.has(l) ? " checked" : ""}>${l}</label>`).join("")}</fieldset>`
      + `<label>Province <select id="f-province"><option value="">all provinces</option>${provinces.map(p =>
          `<option${p === S.province ? " selected" : ""}>${esc(p)}</option>`).join("")}</select></label>`
      + `<label>Scale <select id="f-scale">${["auto", "log", "linear"].map(s => `<option${s === S.scale ? " selected" : ""}>${s}</option>`).join("")}</select></label>`
      + `<button id="f-reset" type="button">reset</button>`;
    nav.querySelector("#f-year").onchange = e => {
      S.year = +e.target.value; S.agency = "";
      if (S.metric && !D.rows.some(r => r.report_year === S.year && r.metric === S.metric)) S.metric = "";   // never an empty page
      update(); };
    nav.querySelector("#f-metric").onchange = e => { S.metric = e.target.value; update(); };
    nav.querySelector("#f-province").onchange = e => { S.province = e.target.value; S.agency = ""; update(); };
    nav.querySelector("#f-scale").onchange = e => { S.scale = e.target.value; update(); };
    nav.querySelectorAll(".f-level").forEach(c => c.onchange = () => {
      S.levels = new Set([...nav.querySelectorAll(".f-level:checked")].map(x => x.value)); update(); });
    nav.querySelector("#f-reset").onclick = () => { Object.assign(S, {year: years[0], metric: "", levels: new Set(LEVELS), province: "", agency: "", scale: "auto"}); update(); };
    return nav;
  }

  // ---- small multiples: one panel per (metric, measure, unit) ---------------------------
  function scaleFor(vals, rate) {
    const pos = vals.filter(v => v > 0), lo = Math.min(...pos), hi = Math.max(...vals);
    const zeros = vals.some(v => v === 0);   // a zero sits at the axis start, half a decade left of the rest
    const canLog = pos.length > 0 && vals.every(v => v >= 0);
    const log = S.scale === "log" ? canLog : S.scale === "linear" ? false : (canLog && !rate && hi / lo >= 50);
    if (log) {
      const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi)) + (hi === lo ? 1 : 0), z = zeros ? 0.5 : 0;
      const ticks = zeros ? [0] : []; for (let e = a; e <= b; e++) ticks.push(10 ** e);
      return {log: true, f: v => v <= 0 ? 0 : (Math.log10(Math.max(v, 10 ** a)) - a + z) / (b - a + z || 1), ticks};
    }
    const min = Math.min(0, ...vals), max = Math.max(...vals, rate ? 0 : 1);
    const step = niceStep((max - min) / 4), ticks = [];
    for (let t = Math.floor(min / step) * step; t <= max + step * 0.001; t += step) ticks.push(+t.toFixed(10));
    const top = Math.max(max, ticks[ticks.length - 1]);
    return {log: false, f: v => (v - ticks[0]) / (top - ticks[0] || 1), ticks};
  }
  function niceStep(x) {
    if (!(x > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(x)), m = x / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  const tick = v => v >= 1e8 ? (v / 1e8) + "亿" : v >= 1e4 ? (v / 1e4) + "万" : fmt(v);

  function panel(rows, width) {
    const r0 = rows[0], rate = r0.kind === "rate";
    const vals = rows.flatMap(r => [r.min, r.max, r.median]).filter(v => v != null);
    const sc = scaleFor(vals, rate);
    const otherUnits = [...new Set(D.rows.filter(r => r.report_year === S.year && r.metric === r0.metric && r.measure === r0.measure && r.unit !== r0.unit).map(r => r.unit))];
    const div = el("div", {class: "panel", "data-metric": r0.metric, "data-measure": r0.measure, "data-unit": r0.unit, "data-scale": sc.log ? "log" : "linear"});
    div.innerHTML = `<h3>${esc(r0.name_zh || r0.metric)} <small>${esc(r0.metric)}${r0.measure !== r0.metric ? " · " + esc(r0.measure) : ""} · unit <b class="unit">${esc(r0.unit)}</b></small></h3>`
      + `<p class="sub">${rate ? "median agency (dot), min–max (line); rates are never summed; right: n agencies with a figure / N registered"
          : "per agency: median (dot), min–max (line); right: Σ total, n agencies with a figure / N registered"}`
      + ` · <span class="scale">${sc.log ? "log scale" : "linear scale"}</span>`
      + (otherUnits.length ? ` · also reported in ${otherUnits.map(u => `<b>${esc(u)}</b>`).join(", ")} (own panel${otherUnits.length > 1 ? "s" : ""})` : "") + "</p>";
    const LW = Math.min(110, Math.max(64, width * 0.16)), RW = rate ? 70 : Math.min(150, Math.max(110, width * 0.24));
    const PW = Math.max(80, width - LW - RW - 12), RH = 20, HH = 18;
    const byLevel = LEVELS.map(l => rows.filter(r => r.level === l).sort((a, b) => (b.median ?? 0) - (a.median ?? 0))).filter(g => g.length);
    const height = 22 + byLevel.reduce((h, g) => h + HH + g.length * RH, 0);
    const svg = sv("svg", {width, height, viewBox: `0 0 ${width} ${height}`, class: "dots", role: "img"});
    const X = v => LW + 6 + sc.f(v) * PW;
    sc.ticks.forEach(t => {            // axis on top, grid lines down the panel
      const x = X(t);
      svg.appendChild(sv("line", {x1: x, x2: x, y1: 16, y2: height, class: "grid"}));
      const tx = sv("text", {x, y: 11, class: "tick", "text-anchor": "middle"}); tx.textContent = tick(t); svg.appendChild(tx);
    });
    const head = sv("text", {x: width - 4, y: 11, class: "tick", "text-anchor": "end"});
    head.textContent = rate ? "n/N" : "Σ total · n/N"; svg.appendChild(head);
    let y = 22;
    for (const g of byLevel) {
      const lvl = g[0].level;
      const h = sv("text", {x: 2, y: y + 12, class: `lvlhead lvl-${lvl}`, "data-level": lvl, fill: COLOURS[lvl]}); h.textContent = `${lvl} level`;
      svg.appendChild(h); y += HH;
      for (const r of g) {
        const cy = y + RH / 2, c = COLOURS[r.level];
        const grp = sv("g", {class: "dotrow", "data-row": r.i, "data-level": r.level, "data-province": r.province, tabindex: 0});
        const lb = r.n_lower_bounds > 0, approx = r.n_approx > 0;
        const tip = sv("title");
        tip.textContent = `${r.province} · ${r.level} level · ${r.unit}: median ${fmt(r.median)} per agency (min ${fmt(r.min)}, max ${fmt(r.max)}); `
          + `${r.n_agencies} agencies with a figure of ${r.n_registered} registered at this level`
          + (rate ? "" : `; total ${fmt(r.total)}${lb ? " is a lower bound" : ""}`)
          + (lb ? `; ${r.n_lower_bounds} figure(s) written as more than (余/以上)` : "") + (approx ? `; ${r.n_approx} approximate (约)` : "");
        grp.appendChild(tip);
        const name = sv("text", {x: LW, y: cy + 4, class: "plabel", "text-anchor": "end"}); name.textContent = r.province; grp.appendChild(name);
        if (r.min != null && r.max != null && r.max > r.min)
          grp.appendChild(sv("line", {x1: X(r.min), x2: X(r.max), y1: cy, y2: cy, stroke: c, "stroke-width": 2, class: "range"}));
        if (r.median != null) {
          grp.appendChild(sv("circle", {cx: X(r.median), cy, r: 4.5, fill: c, class: "median", "data-level": r.level}));
          if (lb) {                  // a lower bound: an arrow pointing to "more"
            const x0 = X(r.max ?? r.median);
            grp.appendChild(sv("path", {d: `M${x0 + 4},${cy - 4} L${x0 + 10},${cy} L${x0 + 4},${cy + 4}Z`, fill: "none", stroke: c, class: "lowerbound"}));
          }
        }
        const right = sv("text", {x: width - 4, y: cy + 4, class: "rtext", "text-anchor": "end"});
        right.textContent = (rate ? "" : `Σ ${fmt(r.total)}${lb ? "+" : ""}  `) + `${r.n_agencies}/${r.n_registered}`;
        grp.appendChild(right);
        grp.onclick = () => { S.province = r.province; S.agency = ""; update(true); };
        svg.appendChild(grp); y += RH;
      }
    }
    div.appendChild(svg);
    return div;
  }

  function charts(rows) {
    const sec = el("section", {id: "charts"});
    const groups = new Map();
    rows.forEach(r => { const k = `${r.metric}\u0000${r.measure}\u0000${r.unit}`; if (!groups.has(k)) groups.set(k, []); groups.get(k).push(r); });
    const ordered = [...groups.values()].sort((a, b) => new Set(b.map(r => r.province)).size - new Set(a.map(r => r.province)).size
      || a[0].metric.localeCompare(b[0].metric) || a[0].unit.localeCompare(b[0].unit));
    sec.innerHTML = `<h2>Figures by province, ${S.year}: ${ordered.length} metric × unit panel${ordered.length === 1 ? "" : "s"}</h2>`
      + `<p class="howto">Each agency counts once (its largest mention; 其中 breakdowns never added). Levels are never added together and keep their colour: `
      + LEVELS.map(l => `${swatch(l)} ${l}`).join(" ") + `. A province total grows with the number of agencies that published: compare the per-agency dots and read the coverage (agencies with a figure / registered). `
      + `<span class="lbmark">▷</span> and “+”: some figures are lower bounds (余/以上).</p>`;
    const grid = el("div", {class: "panels"});
    sec.appendChild(grid);
    sec.fill = () => {                  // once attached: panels as wide as their grid column
      const cw = grid.clientWidth, cols = cw >= 960 ? 2 : 1;
      grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
      const w = Math.max(240, Math.floor((cw - 12 * (cols - 1)) / cols) - 14);
      ordered.forEach(g => grid.appendChild(panel(g, w)));
    };
    return sec;
  }

  // ---- the rows table and its CSV ------------------------------------------------------
  const CSV_COLS = ["report_year", "province", "province_code", "level", "metric", "name_zh", "measure", "unit", "n_agencies", "n_registered",
                    "median", "min", "max", "total", "total_is_lower_bound", "n_lower_bounds", "n_approx"];
  function table(rows) {
    const sec = el("section", {id: "table"});
    const tip = c => esc(D.columns[c] || "");
    sec.innerHTML = `<h2>Rows shown (${rows.length}) <button id="csv" type="button">Download CSV of these rows</button></h2>`
      + `<div class="scroll"><table id="rows"><thead><tr><th title="${tip("metric")}">metric</th><th title="${tip("unit")}">unit</th>`
      + `<th title="${tip("province")}">province</th><th title="${tip("level")}">level</th>`
      + `<th title="agencies with a figure / registered agencies of this level in the province">agencies</th>`
      + `<th title="${tip("median")}">median per agency</th><th title="${tip("min")}">min</th><th title="${tip("max")}">max</th>`
      + `<th title="${tip("total")}">total</th><th title="${tip("n_lower_bounds")}">lower bounds</th></tr></thead><tbody>`
      + rows.map(r => `<tr data-row="${r.i}" data-level="${esc(r.level)}" data-province="${esc(r.province)}">`
        + `<td>${esc(r.name_zh || r.metric)}<br><small>${esc(r.measure)}</small></td><td class="unit">${esc(r.unit)}</td>`
        + `<td><a href="#drill" class="prov">${esc(r.province)}</a></td><td>${swatch(r.level)} ${esc(r.level)}</td>`
        + `<td class="num cov">${r.n_agencies}/${r.n_registered}</td>${num(r, "median")}${num(r, "min")}${num(r, "max")}`
        + (r.kind === "rate" ? `<td class="num na" title="rates are never summed">n/a</td>`
          : num(r, "total", (r.n_lower_bounds > 0 ? "≥ " : "") + fmt(r.total)))
        + num(r, "n_lower_bounds") + `</tr>`).join("")
      + `</tbody></table></div>`;
    sec.querySelectorAll("a.prov").forEach(a => a.onclick = () => { S.province = a.textContent; S.agency = ""; update(true); });
    sec.querySelector("#csv").onclick = () => download(rows);
    return sec;
  }
  function csvText(rows) {
    const cell = v => v == null ? "" : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
    return [CSV_COLS.join(",")].concat(rows.map(r => CSV_COLS.map(c => cell(r[c])).join(","))).join("\n") + "\n";
  }
  function download(rows) {
    const blob = new Blob(["\ufeff" + csvText(rows)], {type: "text/csv;charset=utf-8"});
    const a = el("a", {href: URL.createObjectURL(blob), download: `province_comparison_${S.year}${S.metric ? "_" + S.metric : ""}${S.province ? "_" + S.province : ""}.csv`});
    document.body.appendChild(a); a.click(); setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  window.analystCsv = () => csvText(shown());   // what the button downloads (tests compare it)

  // ---- map -----------------------------------------------------------------------------
  function coverageByProvince() {
    const out = new Map();
    reportsShown(false).forEach(r => {
      const c = out.get(r.province_code) || {province: r.province, code: r.province_code, registered: 0, found: 0, onTime: 0};
      c.registered++; if (r.found) c.found++; if (r.timeliness === "on_time") c.onTime++;
      out.set(r.province_code, c);
    });
    return out;
  }
  const shade = p => { const a = [236, 239, 244], b = [46, 52, 64]; return `rgb(${a.map((x, i) => Math.round(x + (b[i] - x) * (0.15 + 0.85 * p))).join(",")})`; };
  function mapSection() {
    const sec = el("section", {id: "map"}), cov = coverageByProvince();
    const lv = [...S.levels].filter(l => PRESENT.has(l)).join(", ");
    sec.innerHTML = `<h2>Reports found / registered agencies, ${S.year}</h2><p class="sub">levels: ${esc(lv || "none")}; click a province to drill down.`
      + ` Darker = a larger share of its registered agencies published a report.</p>`;
    const click = (p) => { S.province = p; S.agency = ""; update(true); };
    const title = c => `${c.province}: ${c.found} of ${c.registered} registered agencies published a ${S.year} report (${c.onTime} by 31 March)`;
    let svg;
    if (M.shapes) {
      const m = M.shapes, ib = m.inset, w = m.viewBox[2] * 0.2, h = w * ib[3] / ib[2];
      const vb = [m.viewBox[0], m.viewBox[1], m.viewBox[2] + w + 4, m.viewBox[3]];   // the inset beside, never over, the coast
      svg = sv("svg", {viewBox: vb.join(" "), class: "china", role: "img", "aria-label": "map of China by province"});
      const defs = sv("defs"); svg.appendChild(defs);
      for (const p of m.provinces) {
        const c = cov.get(p.code);
        const path = sv("path", {d: p.d, id: `prov-${p.code}`, class: "prov" + (c ? " has-data" : "") + (c && c.province === S.province ? " selected" : ""),
                                 "data-code": p.code, "fill-rule": "evenodd", fill: c ? shade(c.found / c.registered) : "#f7f7f7"});
        const t = sv("title"); t.textContent = c ? title(c) : `${p.name}: no registered agency`; path.appendChild(t);
        if (c) { path.setAttribute("data-province", c.province); path.onclick = () => click(c.province); }
        svg.appendChild(path);
      }
      // 南海诸岛 inset, bottom right
      const inset = sv("svg", {x: vb[0] + vb[2] - w - 2, y: vb[1] + vb[3] - h - 2, width: w, height: h, viewBox: ib.join(" "), class: "inset"});
      inset.appendChild(sv("rect", {x: ib[0], y: ib[1], width: ib[2], height: ib[3], class: "inset-frame"}));
      for (const p of m.provinces) inset.appendChild(sv("use", {href: `#prov-${p.code}`}));
      inset.appendChild(sv("path", {d: m.dash, class: "dash"}));
      const it = sv("text", {x: ib[0] + ib[2] - 8, y: ib[1] + ib[3] - 12, "text-anchor": "end", class: "inset-label"}); it.textContent = "南海诸岛";
      inset.appendChild(it);
      svg.appendChild(inset);
    } else {                              // tile grid: one square per province
      svg = sv("svg", {viewBox: "0 0 500 450", class: "china tiles", role: "img"});
      const names = new Map(D.reports.map(r => [r.province_code, r.province]));
      for (const [code, [cx, cy]] of Object.entries(M.tiles)) {
        const c = cov.get(code);
        const g = sv("g", {class: "prov" + (c ? " has-data" : ""), "data-code": code});
        g.appendChild(sv("rect", {x: cx * 50 + 2, y: cy * 50 + 2, width: 46, height: 46, fill: c ? shade(c.found / c.registered) : "#f7f7f7"}));
        const t = sv("text", {x: cx * 50 + 25, y: cy * 50 + 30, "text-anchor": "middle"}); t.textContent = (names.get(code) || code).slice(0, 2); g.appendChild(t);
        if (c) { g.setAttribute("data-province", c.province); g.onclick = () => click(c.province); const tt = sv("title"); tt.textContent = title(c); g.appendChild(tt); }
        svg.appendChild(g);
      }
    }
    sec.appendChild(svg);
    sec.appendChild(el("p", {class: "source"}, M.shapes ? `Boundaries: ${esc(M.shapes.source)}.` : `Tile grid of provinces: ${esc(M.why_tiles)}.`));
    return sec;
  }

  // ---- drill-down: province -> agencies -> facts ----------------------------------------
  function factItem(f) {
    const p = D.facts[f.fact_id] || {};
    const q = QMARK[f.qualifier] || "";
    return `<li data-fact="${esc(f.fact_id)}"><b>${esc(metricName(D.rows[f.row] || f))}</b>: ${q}${fmt(f.value)} ${esc(f.unit)}`
      + (f.qualifier !== "exact" ? ` <span class="qual">(${esc(QUAL[f.qualifier] || f.qualifier)})</span>` : "")
      + `<br><q>${esc(p.quote)}</q> <a href="${esc(p.document_url)}" class="doc">${esc(p.document_title || p.document_url)}</a>`
      + `<br><small>chars ${p.start_pos}–${p.end_pos}${p.quote_at_offsets ? " (quote found at its offsets)" : " (quote NOT at its offsets)"}; `
      + `${f.n_mentions} mention${f.n_mentions === 1 ? "" : "s"} in the report; extractor ${esc(p.extractor_version)}; fact ${esc(f.fact_id)}</small></li>`;
  }
  function drill(rows) {
    const sec = el("section", {id: "drill"});
    if (!S.province) {
      const cov = [...coverageByProvince().values()].sort((a, b) => a.province.localeCompare(b.province));
      sec.innerHTML = `<h2>Drill down</h2><p class="sub">Pick a province (map, a dot, a table row or below) to see its agencies, then an agency to see its facts with their quotes and URLs.</p>`
        + `<div class="scroll"><table class="provinces"><thead><tr><th>province</th><th>registered</th><th>reports found</th><th>on time</th></tr></thead><tbody>`
        + cov.map(c => `<tr><td><a href="#drill" class="pick">${esc(c.province)}</a></td><td class="num">${c.registered}</td><td class="num">${c.found}</td><td class="num">${c.onTime}</td></tr>`).join("")
        + `</tbody></table></div>`;
      sec.querySelectorAll("a.pick").forEach(a => a.onclick = () => { S.province = a.textContent; update(true); });
      return sec;
    }
    const rowIds = new Set(rows.map(r => r.i));
    const figs = D.figures.filter(f => rowIds.has(f.row));
    const agencies = reportsShown(true);
    sec.innerHTML = `<h2><a href="#drill" id="drill-all">All provinces</a> › <span id="drill-province">${esc(S.province)}</span>`
      + (S.agency ? ` › <span id="drill-agency">${esc((agencies.find(a => a.source_id === S.agency) || {}).agency || S.agency)}</span>` : "") + `, ${S.year}</h2>`
      + `<div class="scroll"><table class="agencies"><thead><tr><th>agency</th><th>level</th><th>report ${S.year}</th><th>figures shown</th></tr></thead><tbody>`
      + agencies.map(a => {
          const n = figs.filter(f => f.source_id === a.source_id).length;
          const sections = a.n_sections_present == null ? "" : `<br><small class="sections">mandated sections ${a.n_sections_present}/4`
            + (a.missing_sections && a.missing_sections.length ? `, missing: ${esc(a.missing_sections.join("、"))}` : "") + `</small>`;
          const rep = a.found ? `<a href="${esc(a.url)}">${esc(a.title || a.url)}</a> <span class="t-${esc(a.timeliness)}">${esc(a.timeliness.replace("_", " "))}${a.days_late ? ` (${a.days_late} days)` : ""}</span>${sections}`
            : `<span class="t-missing">missing</span>${a.open_errors ? `<br><small>${esc(a.open_errors)}</small>` : ""}`;
          return `<tr data-source="${esc(a.source_id)}" class="${a.source_id === S.agency ? "selected" : ""}"><td><a href="#drill" class="agency">${esc(a.agency)}</a></td>`
            + `<td>${swatch(a.level)} ${esc(a.level)}</td><td>${rep}</td><td class="num">${n}</td></tr>`;
        }).join("") + `</tbody></table></div>`;
    const list = S.agency ? figs.filter(f => f.source_id === S.agency) : [];
    if (S.agency) {
      sec.innerHTML += `<h3>Facts behind the figures (${list.length})</h3>`
        + (list.length ? `<ol class="facts">${list.map(factItem).join("")}</ol>` : `<p>No figure of this agency among the rows shown (widen the metric or level filter).</p>`);
    }
    if (D.figures.length < D.n_figures)
      sec.innerHTML += `<p class="sub">The page carries ${D.figures.length.toLocaleString()} of ${D.n_figures.toLocaleString()} agency figures (latest years first): the rest with <code>python -m etl explain province_comparison …</code>.</p>`;
    sec.querySelector("#drill-all").onclick = () => { S.province = ""; S.agency = ""; update(); };
    sec.querySelectorAll("a.agency").forEach(a => a.onclick = () => { S.agency = a.closest("tr").dataset.source; update(true); });
    return sec;
  }

  function dictionary() {
    const d = el("details", {id: "dictionary"});
    d.innerHTML = `<summary>Column meanings (marts.province_comparison; the whole dictionary: DuckDB comments, <code>python -m etl sql "FROM duckdb_columns()"</code>)</summary><dl>`
      + Object.entries(D.columns).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("") + `</dl>`;
    return d;
  }

  // ---- page ----------------------------------------------------------------------------
  const app = document.getElementById("app");
  function update(scrollToDrill) {
    const rows = shown();
    app.replaceChildren(runSection(), filters(),
      el("p", {id: "summary"}, `<b>${rows.length}</b> rows · ${new Set(rows.map(r => r.metric)).size} metrics · `
        + `${new Set(rows.map(r => r.province)).size} provinces · year ${S.year}` + (S.province ? ` · ${esc(S.province)}` : "")),
      el("div", {class: "top"}), charts(rows), table(rows), dictionary());
    app.querySelector("#charts").fill();
    const top = app.querySelector(".top");
    top.appendChild(mapSection()); top.appendChild(drill(rows));
    document.body.dataset.rendered = String(rows.length);
    if (scrollToDrill) {                 // below the sticky filter bar
      const bar = document.getElementById("filters").getBoundingClientRect().height;
      window.scrollTo(0, window.scrollY + document.getElementById("drill").getBoundingClientRect().top - bar - 8);
    }
  }
  let resizeTimer = null, lastW = document.documentElement.clientWidth;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => {
    if (document.documentElement.clientWidth !== lastW) { lastW = document.documentElement.clientWidth; update(); } }, 150); });
  update();
})();
