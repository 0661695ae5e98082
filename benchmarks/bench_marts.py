"""Marts at scale: `.venv/bin/python benchmarks/bench_marts.py [--sizes 1000000,10000000]`.

For each size, builds a DuckDB file of synthetic raw rows (agencies across the 31
provinces at three levels, five report years, facts of every catalog metric with
restatements, 其中 breakdowns, lower bounds and named rates), then measures in one run:

  build     `dbt build` of staging/core/marts with their schema tests (etl.warehouse.build,
            what the load task runs after its commit): the first build, then a night that
            adds 1% of the facts (new reports: the incremental models recompute only the
            partitions it touched), then an unchanged night (skipped by the fingerprint);
            and the snapshot (DuckDB copy + Parquet) published after a passing build
  marts     the analysts' comparison queries on the mart tables (p50 / p95 over runs)
  views     the same questions computed from the facts per query (what the old view-marts did)
  pandas    the same questions in pandas on the same facts already in memory (integer-coded
            columns: a generous reference), and the ratio pandas / marts

Printed, never asserted. Memory: DuckDB is capped (--memory, default 3GB) and the pandas
frame holds integer codes only (~30 bytes a fact).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from etl.settings import ROOT  # noqa: E402
from etl.warehouse.build import build_warehouse  # noqa: E402
from etl.warehouse.seeds import metric_frame, regions_frame  # noqa: E402
from etl.warehouse.snapshot import publish_snapshot  # noqa: E402

SQL = ROOT / "sql"
YEARS = list(range(2020, 2025))
FACTS_PER_DOC = 100
RATE_NAMES = ["按时办结率", "满意率", "办复率", "直接纠错率", "网上可办率", "隐患整改率", "出庭应诉率", "调解和解结案率"]
TEXTS = ["一、主要举措和成效\n二、存在的不足\n三、下一步工作打算\n落实第一责任人职责。",
         "一、加强组织领导\n二、下一步工作打算\n", "一、严格执法\n二、存在的问题\n"]


def generate(con, n_facts: int, seed: int = 7) -> None:
    """Synthetic raw.* rows, all in SQL (nothing held in Python)."""
    for f in sorted(SQL.glob("[0-9]*.sql")):
        con.execute(f.read_text(encoding="utf-8"))
    n_docs = n_facts // FACTS_PER_DOC
    n_agencies = max(31, int(n_docs / len(YEARS) / 0.9))
    prov = regions_frame().query("level == 'province' and status == 'c'")[["code", "name"]]
    metrics = metric_frame()
    metrics = metrics[metrics.metric != "other"].reset_index(drop=True)
    metrics["unit"] = metrics.units.map(lambda u: u[0] if u else "")
    con.register("g_prov", prov.reset_index(drop=True).reset_index())
    con.register("g_metric", metrics[["metric", "category", "unit"]].reset_index())
    con.execute(f"SELECT setseed({seed / 100})")
    con.execute(f"""
        INSERT INTO raw.sources (source_id, agency, province, province_code, city, county, level, listing_url)
        SELECT 's' || i, p.name || '某部门' || i, p.name, p.code, '', '',
               CASE WHEN i % 10 = 0 THEN 'province' WHEN i % 10 < 4 THEN 'city' ELSE 'county' END,
               'http://bench/' || i || '/'
        FROM range({n_agencies}) t(i) JOIN g_prov p ON p.index = i % {len(prov)}""")
    con.execute(f"""
        INSERT INTO raw.documents (doc_id, source_id, url, title, fmt, pages, pub_date, report_year, script,
                                   content_sha256, extractor_version, text, run_id, loaded_at)
        SELECT 'd' || a || '_' || y, 's' || a, 'http://bench/' || a || '/' || y || '.html', '报告',
               CASE WHEN (a + y) % 3 = 0 THEN 'pdf' ELSE 'html' END, 0,
               strftime(DATE '{YEARS[0] + 1}-01-01' + INTERVAL (y - {YEARS[0]}) YEAR + INTERVAL ((a * 7 + y) % 120) DAY, '%Y-%m-%d'),
               y, 'hans', md5(a || '_' || y), 'bench',
               [{', '.join(repr(t) for t in TEXTS)}][(1 + (a + y) % {len(TEXTS)})::BIGINT], 'bench', now()
        FROM range({n_agencies}) ta(a), range({YEARS[0]}, {YEARS[-1] + 1}) ty(y)
        WHERE hash(a, y) % 10 <> 0                      -- one report in ten is missing
        LIMIT {n_docs}""")
    con.execute(f"""
        INSERT INTO raw.facts (fact_id, doc_id, seq, metric, category, value, unit, qualifier, subject, quote,
                               start_pos, end_pos, sentence, part_of_seq, extractor_version, run_id)
        SELECT d.doc_id || '-' || lpad(s::VARCHAR, 4, '0'), d.doc_id, s, m.metric, m.category,
               CASE WHEN m.unit = '%' THEN round(50 + (hash(d.doc_id, s) % 500) / 10.0, 1)
                    ELSE (hash(d.doc_id, s) % 5000)::DOUBLE END,
               m.unit,
               CASE WHEN hash(s, d.doc_id) % 10 = 0 THEN 'more_than' ELSE 'exact' END,
               CASE WHEN m.unit = '%' THEN [{', '.join(repr(r) for r in RATE_NAMES)}][(1 + hash(d.doc_id) % {len(RATE_NAMES)})::BIGINT] ELSE '' END,
               '某数' || s, 0, 2, '', CASE WHEN s % 10 = 9 THEN s - 1 END, 'bench', 'bench'
        FROM raw.documents d, range({FACTS_PER_DOC}) t(s)
        JOIN g_metric m ON m.index = ((hash(d.doc_id) + s) % {len(metrics)})::BIGINT""")
    con.execute("INSERT INTO raw.runs VALUES ('bench', now(), '{}')")
    for name in ("g_prov", "g_metric"):
        con.unregister(name)


def add_night(con, run_id: str, n_docs: int) -> None:
    """A night adding `n_docs` new reports (a new report year of existing agencies) with
    their facts: ~1% of the facts when n_docs is 1% of the documents."""
    year = YEARS[-1] + 1
    con.execute(f"""
        INSERT INTO raw.documents (doc_id, source_id, url, title, fmt, pages, pub_date, report_year, script,
                                   content_sha256, extractor_version, text, run_id, loaded_at)
        SELECT 'd' || a || '_' || {year}, 's' || a, 'http://bench/' || a || '/{year}.html', '报告', 'html', 0,
               '{year + 1}-02-01', {year}, 'hans', md5(a || '_{year}'), 'bench', ?, ?, now()
        FROM (SELECT DISTINCT substr(source_id, 2)::INT AS a FROM raw.sources ORDER BY a LIMIT {n_docs})""",
                [TEXTS[0], run_id])
    con.execute(f"""
        INSERT INTO raw.facts (fact_id, doc_id, seq, metric, category, value, unit, qualifier, subject, quote,
                               start_pos, end_pos, sentence, part_of_seq, extractor_version, run_id)
        SELECT d.doc_id || '-' || lpad(f.seq::VARCHAR, 4, '0'), d.doc_id, f.seq, f.metric, f.category, f.value + 1, f.unit, f.qualifier, f.subject,
               f.quote, f.start_pos, f.end_pos, f.sentence, f.part_of_seq, f.extractor_version, ?
        FROM raw.documents d JOIN raw.facts f ON f.doc_id = 'd' || substr(d.source_id, 2) || '_{YEARS[-1]}'
        WHERE d.run_id = ?""", [run_id, run_id])
    con.execute("INSERT INTO raw.runs VALUES (?, now(), '{}')", [run_id])


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.array(xs) * 1000, p))


def timed(fn, params: list) -> list[float]:
    out = []
    for p in params:
        t = time.perf_counter()
        fn(p)
        out.append(time.perf_counter() - t)
    return out


MART_Q = {
    "province comparison": ("SELECT province, n_agencies, total, median, n_lower_bounds FROM marts.province_comparison "
                            "WHERE metric = ? AND report_year = ? AND level = ? ORDER BY total DESC"),
    "province rank top 5": ("SELECT province, rank, per_agency FROM marts.province_rank "
                            "WHERE metric = ? AND report_year = ? AND level = ? AND rank <= 5 ORDER BY rank"),
    "yoy by province": ("SELECT province, value, prev_value, change_pct FROM marts.metric_yoy "
                        "WHERE scope = 'province' AND metric = ? AND report_year = ? AND level = ?"),
}
VIEW_Q = {   # what a view-mart recomputes per query: one figure per agency, then the province aggregate
    "province comparison": ("WITH a AS (SELECT province, source_id, max(value_cmp) v FROM core.fact_metric "
                            "WHERE NOT is_part AND metric = ? AND report_year = ? AND level = ? GROUP BY ALL) "
                            "SELECT province, count(*), sum(v), median(v) FROM a GROUP BY province ORDER BY 3 DESC"),
}


def bench_size(n: int, workdir: Path, memory: str, runs: int) -> dict:
    db = workdir / f"bench_{n}.duckdb"
    con = duckdb.connect(str(db), config={"memory_limit": memory, "threads": 2, "preserve_insertion_order": False})
    t = time.perf_counter()
    generate(con, n)
    t_gen = time.perf_counter() - t
    con.close()
    first = build_warehouse(db, SQL, workdir / f"dbt_{n}")
    assert first.ok, first.failed
    con = duckdb.connect(str(db))
    add_night(con, "night2", FACTS_PER_DOC and max(1, n // FACTS_PER_DOC // 100))
    con.close()
    night = build_warehouse(db, SQL, workdir / f"dbt_{n}", run_id="night2")
    assert night.ok, night.failed
    unchanged = build_warehouse(db, SQL, workdir / f"dbt_{n}", run_id="night3")
    con = duckdb.connect(str(db), config={"memory_limit": memory, "threads": 2, "preserve_insertion_order": False})
    t_build = first.seconds
    n_facts = con.execute("SELECT count(*) FROM raw.facts").fetchone()[0]
    combos = con.execute("SELECT DISTINCT metric, report_year, level FROM marts.province_comparison "
                         "WHERE kind = 'count' AND report_year > ? ORDER BY hash(metric, report_year, level) LIMIT ?",
                         [YEARS[0], runs]).fetchall()
    res: dict = {"n": n_facts, "gen_s": t_gen, "build_s": t_build, "night_s": night.seconds,
                 "unchanged_s": unchanged.seconds, "unchanged_skipped": unchanged.skipped, "queries": {}}
    for name, q in MART_Q.items():
        con.execute(q, list(combos[0])).fetchall()                      # warm
        res["queries"][name] = {"marts": timed(lambda p, q=q: con.execute(q, list(p)).fetchall(), combos)}
    for name, q in VIEW_Q.items():
        res["queries"][name]["views"] = timed(lambda p, q=q: con.execute(q, list(p)).fetchall(), combos[:max(3, runs // 5)])
    # pandas on the same facts, integer-coded (province code, level, metric, agency, year)
    t = time.perf_counter()
    df = con.execute("""
        SELECT province_code::INT AS province, (CASE level WHEN 'province' THEN 0 WHEN 'city' THEN 1 ELSE 2 END)::TINYINT AS level,
               dense_rank() OVER (ORDER BY metric)::SMALLINT AS metric_i, metric,
               substr(source_id, 2)::INT AS agency, report_year::SMALLINT AS year, value_cmp AS value, is_part
        FROM core.fact_metric""").df()
    df["metric"] = df["metric"].astype("category")
    t_df = time.perf_counter() - t
    con.close()
    lv = {"province": 0, "city": 1, "county": 2}

    def pd_comparison(p, frame=df):
        m, y, lvl = p
        f = frame[(frame.metric == m) & (frame.year == y) & (frame.level == lv[lvl]) & ~frame.is_part]
        a = f.groupby(["province", "agency"], observed=True).value.max()
        return a.groupby(level=0).agg(["count", "sum", "median"]).sort_values("sum", ascending=False)

    def pd_rank(p):
        c = pd_comparison(p)
        return (c["sum"] / c["count"]).rank(ascending=False, method="min").nsmallest(5)

    def pd_yoy(p, frame=df):
        m, y, lvl = p
        f = frame[(frame.metric == m) & frame.year.isin([y, y - 1]) & (frame.level == lv[lvl]) & ~frame.is_part]
        a = f.groupby(["province", "agency", "year"], observed=True).value.max().unstack("year").dropna()
        return a.groupby(level=0).sum()

    pd_runs = combos[:max(3, runs // 5)]
    for name, fn in (("province comparison", pd_comparison), ("province rank top 5", pd_rank), ("yoy by province", pd_yoy)):
        fn(pd_runs[0])
        res["queries"][name]["pandas"] = timed(fn, pd_runs)
    t = time.perf_counter()
    publish_snapshot(db, workdir / f"snapshot_{n}")      # what every load does after its commit
    res["publish_s"] = time.perf_counter() - t
    manifest = json.loads((workdir / f"snapshot_{n}" / "manifest.json").read_text(encoding="utf-8"))
    res["publish_how"] = "byte copy" if manifest.get("byte_copy") else "rewritten as v1.5.0"
    res["pandas_load_s"] = t_df
    res["pandas_mb"] = df.memory_usage(deep=False).sum() / 2**20
    res["db_mb"] = db.stat().st_size / 2**20
    del df
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--memory", default="3GB")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench_marts_"))
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            r = bench_size(n, work, args.memory, args.runs)
            print(f"\n== {r['n']:,} facts: generate {r['gen_s']:.1f}s, dbt build {r['build_s']:.1f}s, "
                  f"a night adding 1% of the facts {r['night_s']:.1f}s, unchanged night {r['unchanged_s']:.1f}s "
                  f"({'skipped' if r['unchanged_skipped'] else 'built'}), "
                  f"file {r['db_mb']:.0f} MB, snapshot published in {r['publish_s']:.1f}s ({r['publish_how']}); pandas frame {r['pandas_mb']:.0f} MB loaded in {r['pandas_load_s']:.1f}s")
            print(f"   {'query':<22}{'marts p50':>10}{'p95 ms':>9}{'views p95':>11}{'pandas p50':>12}{'p95 ms':>9}{'pandas/marts':>14}")
            for name, q in r["queries"].items():
                m50, m95 = pct(q["marts"], 50), pct(q["marts"], 95)
                v95 = f"{pct(q['views'], 95):.0f}" if "views" in q else "-"
                p50, p95 = pct(q["pandas"], 50), pct(q["pandas"], 95)
                print(f"   {name:<22}{m50:>10.1f}{m95:>9.1f}{v95:>11}{p50:>12.0f}{p95:>9.0f}{p50 / m50:>13.0f}x")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
