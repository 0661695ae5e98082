"""The warehouse at 10M facts: a night that adds 1% of facts, built by dbt (and, to compare,
by the hand-written builder it replaced).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_warehouse_10m.py                      # 10M, dbt
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_warehouse_10m.py --facts 200000       # smoke size
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_warehouse_10m.py --builder both --workdir /tmp/wh10m

Generates a synthetic warehouse inside DuckDB (every row from generate_series and hashes, no
Python loop): ~1k agencies per 100k facts, each a real GB/T 2260 region (province / city /
county) times a department, with six years of annual reports (about 8% missing), 40-160
facts a report drawn from the catalog's metrics, units and keywords (etl/catalog.yaml via
metric_frame), log-normal counts scaled by metric and level, rates near 100%, 同比 changes,
money written in 万元, lower bounds (余/不少于), breakdowns (其中), a few Traditional-script
reports and reposts; each fact's quote sits at its offsets in its report's text. Then, in
one run, with the chosen builder:

  reference      CREATE TABLE AS SELECT * FROM raw.facts, committed: one scan and one write
                 of every fact, the floor of any build that re-reads all facts (an
                 incremental build should come in under it). Measured before the first build
                 and again at the end (the spread is the machine's noise).
  (a) first build   the modelled layers from raw rows only
  (b) night +1%     1% new documents (the next year's reports of the first agencies; with
                    --night spread, missing reports found across every year and province)
                    with their facts, discovery and error rows written in one transaction,
                    then the builder: the headline figure, then the snapshot publish
  (c) unchanged     a night that loads no document (its raw.runs row and the last night's
                    fetch errors again), the builder, the publish
  (d) queries       analysts' questions on the read-only snapshot (province comparison,
                    rank, yoy, coverage, completeness, provenance), p50/p95 over --runs runs;
                    reference: one fact by primary key on the same connection (the floor
                    of any query: parse, plan, probe, fetch)

Builders (--builder): `dbt` calls etl.warehouse.build.build_models(settings) (the dbt project,
incremental where the input only grows); `legacy` runs this benchmark as it stood at
LEGACY_REV, in a throwaway git worktree: etl/warehouse/models.refresh_models in its own
transaction (fingerprint, then staging/core/marts rebuilt in full); `both` runs legacy, then dbt. The raw
write is the same for both and timed apart, so the builder row compares like with like.

Printed, never asserted: wall and CPU seconds (CPU counts DuckDB's threads and child
processes: the stable figure on a shared machine), the ratio to the reference in the same
run, and peak RSS per phase (VmHWM after resetting it; children's peak when a builder forks).
The generated raw warehouse is kept in --workdir (default a temp folder, removed unless
--keep) and reused by later runs with the same --facts, so a builder can be re-measured
without generating again.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from etl.extract.catalog import raw_catalog  # noqa: E402
from etl.load.batch import apply_sql  # noqa: E402
from etl.load.lock import connect  # noqa: E402
from etl.settings import Settings, load_settings  # noqa: E402
from etl.warehouse.seeds import metric_frame, regions_frame  # noqa: E402
from etl.warehouse.snapshot import publish_snapshot  # noqa: E402

YEARS = range(2019, 2025)        # six report years in the base warehouse
MISSING_PCT = 8                  # reports an agency did not publish (coverage's 'missing')
FACTS_MEAN = 100                 # facts a report: 40..160
OUTSIDE = ("71", "81", "82")     # 台湾, 香港, 澳门: no agencies in the registry

# Share of facts per metric (per mille-ish weights; a metric not named weighs 5). 'other' is
# the extractor's unmatched claims (metric and category 'other').
WEIGHTS = {"other": 120, "rates_pct": 100, "change_pct": 30, "inspections": 70, "cases_handled": 70,
           "enforcement_personnel": 50, "units_inspected": 50, "hazards_found": 50, "trainings_held": 60,
           "training_participants": 50, "leadership_meetings": 40, "publicity_events": 50,
           "publicity_materials": 40, "publicity_reach": 40, "penalties_amount": 30, "normative_documents": 30,
           "complaints_handled": 30, "reconsideration_litigation": 30, "approvals_processed": 30,
           "information_disclosure": 20, "service_efficiency": 20}
# Median value of a county agency's figure (log-normal, sigma 1.2; x2 city, x4 province).
MEDIANS = {"enforcement_personnel": 3000, "enforcement_personnel_generic": 1500, "training_participants": 800,
           "publicity_reach": 20000, "units_inspected": 600, "inspections": 150, "hazards_found": 120,
           "cases_handled": 80, "cases_units": 30, "penalties_amount": 300000, "waived_penalties": 50000,
           "leadership_meetings": 6, "trainings_held": 10, "normative_documents": 8, "publicity_events": 25,
           "publicity_materials": 3000, "complaints_handled": 200, "reconsideration_litigation": 12,
           "proposals_handled": 30, "approvals_processed": 5000, "information_disclosure": 300,
           "service_time": 5, "audits": 1000000}
DEPARTMENTS = ["司法局", "市场监督管理局", "生态环境局", "应急管理局", "卫生健康委员会", "交通运输局", "城市管理局",
               "文化和旅游局", "公安局", "自然资源局", "住房和城乡建设局", "人力资源和社会保障局", "农业农村局",
               "水利局", "教育局", "民政局", "财政局", "税务局", "商务局", "发展和改革委员会", "林业局",
               "医疗保障局", "统计局", "审计局", "退役军人事务局", "人民政府"]
RATES = ["行政复议案件办结率", "按时办结率", "群众满意率", "办复率", "直接纠错率", "网上可办率", "隐患整改率",
         "行政机关负责人出庭应诉率", "调解和解结案率", "政务服务事项全程网办率"]
RATES_HANT = ["行政復議案件辦結率", "按時辦結率", "群眾滿意率", "辦復率"]
CHANGES = ["案件数量同比增长", "同比下降", "较上年增长", "比上年下降", "受理量同比增长"]
OTHER_SUBJECTS = ["开展活动", "建成", "设置", "完成", "推动落实", "组建"]
LEAD = ["全年", "累计", "共", "本年度", "年内", ""]
TAIL = ["。", "，", "；", "，同比有所增长。", "，工作成效明显。"]
FILLER = "依法行政制度体系不断完善，行政执法监督持续加强，法治宣传教育深入开展。"


# ---------------------------------------------------------------- generation (all in DuckDB)

def _vocabulary(con) -> None:
    """The catalog's metrics, units and keywords, the regions and departments, as temp tables."""
    import pandas as pd
    m = metric_frame()
    keywords = {mid: list(v.get("keywords") or []) for mid, v in raw_catalog()["metrics"].items()}
    m["keywords"] = m.metric.map(lambda x: keywords.get(x) or [x])
    m["weight"] = m.metric.map(lambda x: WEIGHTS.get(x, 5))
    m["mu"] = m.metric.map(lambda x: math.log(MEDIANS.get(x, 40)))
    m["is_change"] = m.min_value < 0
    other = pd.DataFrame([{"metric": "other", "category": "other", "units": ["个", "次", "项"], "keywords": OTHER_SUBJECTS,
                           "weight": WEIGHTS["other"], "mu": math.log(40), "is_change": False, "max_value": 1e7}])
    m = pd.concat([m[other.columns], other], ignore_index=True)
    con.register("v_metric", m)
    con.register("v_region", regions_frame())
    # 1000 slots, each metric's share of them by weight: a fact picks a slot by hash
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_metric AS
        WITH w AS (SELECT row_number() OVER (ORDER BY metric) AS mi, *,
                          sum(weight) OVER (ORDER BY metric) AS cum, sum(weight) OVER () AS total FROM v_metric)
        SELECT mi, metric, category, CASE WHEN len(units) = 0 THEN ['个'] ELSE units END AS units, keywords,
               mu, is_change, coalesce(max_value, 1e9) AS hi,
               floor(1000 * (cum - weight) / total)::INT AS slot_lo, floor(1000 * cum / total)::INT AS slot_hi
        FROM w""")
    con.execute("""CREATE OR REPLACE TEMP TABLE g_slot AS
                   SELECT s.slot, m.* FROM range(1000) s(slot) JOIN g_metric m ON s.slot >= m.slot_lo AND s.slot < m.slot_hi""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_pair AS     -- every (region, department): an agency each
        WITH r AS (SELECT * FROM v_region WHERE status = 'c' AND level IN ('province', 'city', 'county')
                     AND substr(code, 1, 2) NOT IN {OUTSIDE})
        SELECT row_number() OVER (ORDER BY hash(r.code, d.dept)) - 1 AS k,
               r.level, r.code AS region_code, p.name AS province, p.code AS province_code,
               CASE r.level WHEN 'city' THEN r.name WHEN 'county' THEN coalesce(c.name, '') ELSE '' END AS city,
               CASE r.level WHEN 'county' THEN r.name ELSE '' END AS county,
               CASE r.level WHEN 'province' THEN p.name || replace(d.dept, '局', '厅')
                            WHEN 'city' THEN r.name || d.dept
                            ELSE coalesce(c.name, '') || r.name || d.dept END AS agency
        FROM r JOIN v_region p ON p.code = substr(r.code, 1, 2) || '0000'
        LEFT JOIN v_region c ON c.code = r.parent AND c.level = 'city'
        CROSS JOIN (SELECT unnest({DEPARTMENTS!r}) AS dept) d""")
    con.unregister("v_metric")
    con.unregister("v_region")
    con.execute("""CREATE OR REPLACE TEMP MACRO u01(a, b, salt) AS ((hash(a, b, salt) % 1000003) + 0.5) / 1000003.0""")
    con.execute("""CREATE OR REPLACE TEMP MACRO gauss(a, b, salt) AS
                   sqrt(-2 * ln(u01(a, b, salt || '1'))) * cos(2 * pi() * u01(a, b, salt || '2'))""")


def _agencies(con, n_agencies: int) -> None:
    con.execute(f"""
        INSERT INTO raw.sources (source_id, agency, province, province_code, city, county, level, listing_url)
        SELECT 's' || substr(p.province_code, 1, 2) || '-' || lpad(a::VARCHAR, 6, '0'),
               p.agency || CASE WHEN a >= n THEN '(' || (a // n)::VARCHAR || ')' ELSE '' END,
               p.province, p.province_code, p.city, p.county, p.level,
               'https://www.gov.example/' || p.region_code || '/' || a || '/fzzfjs/index.html'
        FROM range({n_agencies}) t(a) CROSS JOIN (SELECT count(*) AS n FROM g_pair) c
        JOIN g_pair p ON p.k = t.a % c.n""")


def _write_reports(con, pairs_sql: str, run_id: str) -> tuple[int, int]:
    """Documents (agency index, report year) from `pairs_sql`, their facts, discovery and
    error rows, all written under `run_id`. Returns (documents, facts) written."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_doc AS
        WITH p AS ({pairs_sql}),
        s AS (SELECT split_part(source_id, '-', 2)::BIGINT AS a, * FROM raw.sources)
        SELECT substr(sha256(s.source_id || '|/' || s.source_id || '/' || p.y || '/t' || p.a || '.html?'), 1, 16) AS doc_id,
               s.source_id, s.agency, s.province, s.province_code, s.city, s.county, s.level, p.y AS report_year,
               replace(s.listing_url, 'index.html', '') || p.y || '/t' || p.a || '.html' AS url,
               s.agency || p.y || '年法治政府建设年度报告' AS title,
               CASE WHEN hash(p.a, p.y, 'fmt') % 3 = 0 THEN 'pdf' ELSE 'html' END AS fmt,
               CASE WHEN hash(p.a, p.y, 'hant') % 100 < 5 THEN 'hant' ELSE 'hans' END AS script,
               CASE WHEN hash(p.a, p.y, 'date') % 100 < 4 THEN ''
                    ELSE strftime(make_date(p.y + 1, 1, 5) + (CASE WHEN hash(p.a, p.y, 'late') % 100 < 15
                         THEN 85 + hash(p.a, p.y, 'd') % 90 ELSE hash(p.a, p.y, 'd') % 85 END)::INT, '%Y-%m-%d') END AS pub_date,
               (40 + hash(p.a, p.y, 'n') % 121)::INT AS n_facts,
               s.agency || p.y || '年法治政府建设年度报告\n一、主要举措和成效\n' AS head,
               hash(p.a, p.y, 'sec') % 100 AS sections,
               (3 + hash(p.a, p.y, 'len') % 25)::INT AS filler,
               hash(p.a, p.y, 'repost') % 100 = 0 AS repost
        FROM p JOIN s USING (a)""")
    n_docs = con.execute("SELECT count(*) FROM g_doc").fetchone()[0]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_fact AS
        WITH f AS (
            SELECT d.doc_id, d.level, d.script, d.head, t.i AS seq, m.metric, m.category, m.units, m.keywords,
                   m.mu, m.is_change, m.hi, u01(d.doc_id, t.i, 'u') AS uu, u01(d.doc_id, t.i, 'q') AS uq,
                   gauss(d.doc_id, t.i, 'v') AS z, u01(d.doc_id, t.i, 'k') AS uk,
                   t.i > 0 AND u01(d.doc_id, t.i, 'part') < 0.1 AS is_part
            FROM g_doc d, range(d.n_facts) t(i)
            JOIN g_slot m ON m.slot = hash(d.doc_id, t.i, 'metric') % 1000
        ),
        typed AS (
            SELECT *, CASE WHEN metric = 'rates_pct' THEN (CASE WHEN uu < 0.98 THEN '%' ELSE '百分点' END)
                           WHEN is_change THEN (CASE WHEN uu < 0.8 THEN '%' WHEN uu < 0.95 THEN '个百分点' ELSE '百分点' END)
                           WHEN len(units) = 1 OR uu < 0.7 THEN units[1]
                           ELSE units[2 + floor(u01(doc_id, seq, 'unit') * (len(units) - 1))::INT] END AS unit
            FROM f
        ),
        valued AS (
            SELECT *,
                   CASE WHEN is_change THEN round(abs(5 + 15 * z), 1)
                        WHEN unit IN ('%', '个百分点', '百分点') THEN
                            CASE WHEN uq < 0.2 THEN 100 ELSE round(greatest(0, 100 - exp(0.7 + z)), 2) END
                        WHEN unit = '元' THEN round(exp(mu + 1.5 * z + (CASE level WHEN 'province' THEN 1.4 WHEN 'city' THEN 0.7 ELSE 0 END)), -2)
                        ELSE least(hi, round(exp(mu + 1.2 * z + (CASE level WHEN 'province' THEN 1.4 WHEN 'city' THEN 0.7 ELSE 0 END))))
                   END AS value,
                   CASE WHEN uq < 0.85 THEN 'exact' WHEN uq < 0.93 THEN 'more_than' WHEN uq < 0.95 THEN 'at_least'
                        WHEN uq < 0.99 THEN 'approx' ELSE 'at_most' END AS qualifier,
                   CASE WHEN is_change THEN {CHANGES!r}[1 + floor(uk * {len(CHANGES)})::INT]
                        WHEN unit IN ('%', '个百分点', '百分点') AND script = 'hant' AND uk < 0.5
                            THEN {RATES_HANT!r}[1 + floor(uk * 2 * {len(RATES_HANT)})::INT]
                        WHEN unit IN ('%', '个百分点', '百分点') THEN {RATES!r}[1 + floor(uk * {len(RATES)})::INT]
                        ELSE keywords[1 + floor(uk * len(keywords))::INT] END AS subject
            FROM typed
        ),
        quoted AS (
            SELECT *,
                   subject || CASE qualifier WHEN 'at_least' THEN '不少于' WHEN 'approx' THEN '约' WHEN 'at_most' THEN '不超过' ELSE '' END
                   || CASE WHEN unit = '元' THEN printf('%.2f', value / 10000) || '万元'
                           WHEN unit IN ('%', '个百分点', '百分点') THEN printf('%g', value) || unit
                           ELSE value::BIGINT::VARCHAR || CASE WHEN qualifier = 'more_than' THEN '余' ELSE '' END || unit END AS quote,
                   CASE WHEN is_part THEN '其中' ELSE {LEAD!r}[1 + (hash(doc_id, seq, 'lead') % {len(LEAD)})::INT] END AS lead,
                   {TAIL!r}[1 + (hash(doc_id, seq, 'tail') % {len(TAIL)})::INT] AS tail
            FROM valued
        ),
        placed AS (
            SELECT *, lead || quote || tail AS sentence,
                      length(head) + sum(length(lead || quote || tail)) OVER (PARTITION BY doc_id ORDER BY seq)
                      - length(lead || quote || tail) + length(lead) AS start_pos
            FROM quoted
        )
        SELECT doc_id || '-' || lpad(seq::VARCHAR, 4, '0') AS fact_id, doc_id, seq::INT AS seq, metric, category,
               value, unit, qualifier, subject, quote, start_pos::INT AS start_pos,
               (start_pos + length(quote))::INT AS end_pos, sentence,
               CASE WHEN is_part THEN seq - 1 END::INT AS part_of_seq, 'x7' AS extractor_version, '{run_id}' AS run_id,
               CASE WHEN metric = 'other' THEN 'unmatched: ' || subject ELSE 'keyword: ' || subject END AS category_reason
        FROM placed""")
    n_facts = con.execute("SELECT count(*) FROM g_fact").fetchone()[0]
    con.execute("INSERT INTO raw.facts BY NAME SELECT * FROM g_fact")
    con.execute(f"""
        INSERT INTO raw.documents BY NAME
        WITH body AS (SELECT doc_id, string_agg(sentence, '' ORDER BY seq) AS body FROM g_fact GROUP BY doc_id),
        other AS (   -- a repost: the report of another agency of the province, found in this one's column
            SELECT d.doc_id, any_value(s.agency) AS writer FROM g_doc d JOIN raw.sources s
              ON d.repost AND s.province_code = d.province_code AND s.source_id <> d.source_id
            GROUP BY d.doc_id),
        t AS (
            SELECT d.*, o.writer,
                   d.head || b.body
                   || CASE WHEN d.sections >= 10 THEN '\n二、存在的不足\n' || repeat('{FILLER}', d.filler // 3 + 1) ELSE '' END
                   || CASE WHEN d.sections % 20 <> 0 THEN '\n三、下一步工作打算\n' || repeat('{FILLER}', d.filler) ELSE '' END
                   || CASE WHEN d.sections < 60 THEN '\n主要负责人切实履行推进法治建设第一责任人职责。' ELSE '' END AS text
            FROM g_doc d JOIN body b USING (doc_id) LEFT JOIN other o USING (doc_id))
        SELECT doc_id, source_id, url, title, fmt,
               CASE WHEN fmt = 'pdf' THEN 4 + length(text) // 900 ELSE 0 END AS pages, pub_date,
               CASE WHEN fmt = 'pdf' THEN 'pdf_text' ELSE 'html' END AS content_source, report_year, script,
               sha256(text) AS content_sha256, 'x7' AS extractor_version, text, '{run_id}' AS run_id,
               now()::TIMESTAMP AS loaded_at, 'suite-7' AS suite_version, false AS ocr,
               'rule_of_law' AS report_kind, coalesce(writer, agency) AS agency, agency AS portal_agency,
               province, province_code, city, county, level,
               CASE WHEN writer IS NULL THEN 'title' ELSE 'signature' END AS writer_source,
               'title names an annual rule-of-law report' AS decision_reason
        FROM t""")
    con.execute(f"""
        INSERT INTO raw.discovery BY NAME
        SELECT '{run_id}' AS run_id, source_id, url, title, 'report' AS decision, 'title' AS reason,
               'rule_of_law' AS kind, report_year, pub_date AS listed_date,
               replace(url, regexp_extract(url, '[^/]+/[^/]+$'), 'index.html') AS listing_url,
               'list' AS via, now()::TIMESTAMP AS seen_at
        FROM g_doc
        UNION ALL   -- the column's other items (news, notices): one decoy for every ten reports
        SELECT '{run_id}', source_id, replace(url, '.html', '_news.html'), agency || '召开法治建设工作会议', 'decoy',
               'not a report title', NULL, NULL, pub_date, NULL, 'list', now()::TIMESTAMP
        FROM g_doc WHERE hash(doc_id, 'decoy') % 10 = 0""")
    con.execute(f"""
        INSERT INTO raw.document_errors BY NAME   -- one listed report in 300 could not be fetched
        SELECT '{run_id}' AS run_id, source_id, replace(url, '.html', '_att.pdf') AS url, 'fetch' AS stage,
               'HTTP 404 at ' || replace(url, '.html', '_att.pdf') AS error, now()::TIMESTAMP AS seen_at,
               'http-status' AS kind
        FROM g_doc WHERE hash(doc_id, 'err') % 300 = 0""")
    con.execute("DROP TABLE g_doc")
    con.execute("DROP TABLE g_fact")
    return n_docs, n_facts


def _repeat_errors(con, run_id: str) -> None:
    """The last run's fetch errors again under `run_id`: a report that could not be fetched
    fails again tonight (recorded every night, not lost), as in a real run."""
    con.execute("""
        INSERT INTO raw.document_errors BY NAME
        SELECT * REPLACE (? AS run_id, now()::TIMESTAMP AS seen_at) FROM raw.document_errors
        WHERE run_id = (SELECT run_id FROM raw.runs ORDER BY loaded_at DESC LIMIT 1)""", [run_id])


def _run_row(con, run_id: str, counts: dict) -> None:
    con.execute("INSERT INTO raw.runs (run_id, loaded_at, counts) VALUES (?, ?, ?)",
                [run_id, datetime.now(timezone.utc).replace(tzinfo=None), json.dumps(counts)])


def agencies_for(n_facts: int) -> int:
    return max(8, math.ceil(n_facts / (FACTS_MEAN * len(YEARS) * (1 - MISSING_PCT / 100))))


def generate(settings: Settings, n_facts: int) -> dict:
    """A warehouse of raw rows only (no model built) at settings.warehouse."""
    con = connect(settings.warehouse)
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir)
        _vocabulary(con)
        n_agencies = agencies_for(n_facts)
        _agencies(con, n_agencies)
        pairs = (f"SELECT a, y FROM range({n_agencies}) ta(a), range({YEARS[0]}, {YEARS[-1] + 1}) ty(y) "
                 f"WHERE hash(a, y, 'missing') % 100 >= {MISSING_PCT}")
        docs, facts = _write_reports(con, pairs, "base")
        _run_row(con, "base", {"documents": docs, "facts": facts})
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"agencies": n_agencies, "documents": docs, "facts": facts}


def night_new_reports(settings: Settings, run_id: str, share: float, kind: str = "new-year") -> dict:
    """New reports, `share` of the documents loaded so far. kind 'new-year': the next year's
    reports of the first agencies (a night in publication season: new rows land in one new
    year); 'spread': reports that were missing, found tonight, across every province, level
    and year (the harder case for an incremental build: every mart partition changes)."""
    con = connect(settings.warehouse)
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir)             # what every load does first
        _vocabulary(con)
        n_docs, last_year, n_agencies = con.execute(
            "SELECT (SELECT count(*) FROM raw.documents), (SELECT max(report_year) FROM raw.documents), "
            "(SELECT count(*) FROM raw.sources)").fetchone()
        want = max(1, round(n_docs * share))
        _repeat_errors(con, run_id)
        if kind == "spread":
            pairs = (f"SELECT a, y FROM range({n_agencies}) ta(a), range({YEARS[0]}, {YEARS[-1] + 1}) ty(y) "
                     f"WHERE hash(a, y, 'missing') % 100 < {MISSING_PCT} "
                     f"AND NOT EXISTS (SELECT 1 FROM raw.documents d JOIN raw.sources s USING (source_id) "
                     f"WHERE d.report_year = y AND split_part(s.source_id, '-', 2)::BIGINT = a) "
                     f"ORDER BY hash(a, y, 'found') LIMIT {want}")
        else:
            pairs = f"SELECT a, {last_year + 1} AS y FROM range({min(want, n_agencies)}) t(a)"
        docs, facts = _write_reports(con, pairs, run_id)
        _run_row(con, run_id, {"documents": docs, "facts": facts})
        con.execute("COMMIT")
    finally:
        con.close()
    return {"documents": docs, "facts": facts}


def night_unchanged(settings: Settings, run_id: str) -> dict:
    con = connect(settings.warehouse)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, settings.sql_dir)
        _repeat_errors(con, run_id)
        _run_row(con, run_id, {"documents": 0, "facts": 0})
        con.execute("COMMIT")
    finally:
        con.close()
    return {"documents": 0, "facts": 0}


# ---------------------------------------------------------------- builders

class BuilderMissing(RuntimeError):
    """The chosen builder is not in this checkout."""


# The last commit with the hand-written model builder (etl/warehouse/models.py, marts rebuilt in
# full inside the load transaction): `--builder legacy` runs this benchmark as it was there, from a
# throwaway git worktree, so before and after are measured on one machine in one sitting.
LEGACY_REV = "884ce87"


def run_legacy(argv: list[str]) -> int:
    """This benchmark at LEGACY_REV with `--builder legacy`, in a temporary worktree."""
    root = Path(__file__).resolve().parent.parent
    tree = Path(tempfile.mkdtemp(prefix="bench_wh10m_legacy_"))
    add = subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", str(tree), LEGACY_REV],
                         capture_output=True, text=True)
    if add.returncode:
        print(f"bench_warehouse_10m: cannot check out {LEGACY_REV} (needs the git history): {add.stderr.strip()}",
              file=sys.stderr)
        return 2
    try:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        return subprocess.run([sys.executable, str(tree / "benchmarks" / "bench_warehouse_10m.py"), *argv],
                              cwd=tree, env=env).returncode
    finally:
        subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], capture_output=True)


def dbt_builder(settings: Settings) -> str:
    """The dbt project (issue 21): etl.warehouse.build.build_models(settings)."""
    build = _dbt_build_models()
    result = build(settings)
    if not result.ok:
        raise RuntimeError(result.reason())
    return "inputs unchanged: not rebuilt" if result.skipped else f"dbt build ({result.nodes} nodes)"


def _dbt_build_models() -> Callable:
    try:
        from etl.warehouse.build import build_models
    except ImportError as e:
        raise BuilderMissing(
            "--builder dbt needs etl.warehouse.build.build_models(settings) (the dbt project of "
            f"issue 21), which this checkout does not have ({e}). Use --builder legacy, or run "
            "from a checkout with the dbt project merged.") from e
    return build_models


BUILDERS: dict[str, Callable[[Settings], str]] = {"dbt": dbt_builder}


def _without(argv: list[str], *options: str) -> list[str]:
    """argv less the given options and their values."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a in options:
            skip = True
        elif not a.startswith(tuple(f"{o}=" for o in options)):
            out.append(a)
    return out


def check_builder(name: str) -> None:
    if name == "dbt":
        _dbt_build_models()


# ---------------------------------------------------------------- measuring

@dataclass
class Phase:
    name: str
    wall: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    child_rss_mb: float = 0.0
    note: str = ""
    extra: dict = field(default_factory=dict)


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")     # resets VmHWM (Linux >= 4.0)
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


@contextmanager
def measured(phases: list[Phase], name: str) -> Iterator[Phase]:
    p = Phase(name)
    _reset_peak_rss()
    cpu0, t0 = _cpu(), time.perf_counter()
    yield p
    p.wall, p.cpu = time.perf_counter() - t0, _cpu() - cpu0
    p.rss_mb = _peak_rss_mb()
    p.child_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    phases.append(p)


def reference_ctas(settings: Settings) -> None:
    """Copy every fact into a new table and commit; then drop the copy (not timed by the caller
    beyond the copy: the drop runs after the measured block returns)."""
    con = connect(settings.warehouse)
    try:
        con.execute("CREATE OR REPLACE TABLE main.bench_reference AS SELECT * FROM raw.facts")
    finally:
        con.close()


def drop_reference(settings: Settings) -> None:
    con = connect(settings.warehouse)
    try:
        con.execute("DROP TABLE IF EXISTS main.bench_reference")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def publish(settings: Settings) -> Path:
    out = publish_snapshot(settings.warehouse, settings.data_dir / "snapshot")
    if out is None:
        raise RuntimeError("snapshot not published (see the log)")
    return out


# The analysts' questions: (name, SQL, a query that draws its parameters from the snapshot).
QUERIES: list[tuple[str, str, str]] = [
    ("province comparison",
     "SELECT province, n_agencies, total, median, n_lower_bounds FROM marts.province_comparison "
     "WHERE metric = ? AND report_year = ? AND level = ? ORDER BY total DESC NULLS LAST",
     "SELECT DISTINCT metric, report_year, level FROM marts.province_comparison WHERE kind = 'count'"),
    ("province rank top 5",
     "SELECT province, rank, per_agency FROM marts.province_rank "
     "WHERE metric = ? AND report_year = ? AND level = ? AND rank <= 5 ORDER BY rank",
     "SELECT DISTINCT metric, report_year, level FROM marts.province_rank"),
    ("yoy by province",
     "SELECT province, value, prev_value, change_pct FROM marts.metric_yoy "
     "WHERE scope = 'province' AND metric = ? AND report_year = ? AND level = ?",
     "SELECT DISTINCT metric, report_year, level FROM marts.metric_yoy WHERE scope = 'province'"),
    ("yoy of one agency",
     "SELECT metric, measure, report_year, value, prev_value, change FROM marts.metric_yoy "
     "WHERE scope = 'agency' AND source_id = ? ORDER BY metric, measure, report_year",
     "SELECT DISTINCT source_id FROM marts.metric_yoy WHERE scope = 'agency'"),
    ("coverage of a province",
     "SELECT level, timeliness, count(*) AS n, avg(days_late) AS days_late FROM marts.report_coverage "
     "WHERE province = ? AND report_year = ? GROUP BY ALL ORDER BY ALL",
     "SELECT DISTINCT province, report_year FROM marts.report_coverage"),
    ("completeness by level",
     "SELECT level, count(*) AS reports, avg(n_sections_present) AS sections, "
     "count(*) FILTER (WHERE NOT has_shortcomings) AS no_shortcomings FROM marts.report_completeness "
     "WHERE province = ? AND report_year = ? GROUP BY level ORDER BY level",
     "SELECT DISTINCT province, report_year FROM marts.report_completeness"),
    ("provenance of a fact",
     "SELECT agency, document_url, quote, start_pos, end_pos, quote_at_offsets FROM marts.fact_provenance "
     "WHERE fact_id = ?",
     "SELECT fact_id FROM raw.facts USING SAMPLE 200 ROWS"),
    ("facts behind a comparison",
     "SELECT agency, value, quote, document_url FROM marts.comparison_facts "
     "WHERE metric = ? AND report_year = ? AND level = ? AND province = ? ORDER BY value DESC",
     "SELECT DISTINCT metric, report_year, level, province FROM marts.province_comparison WHERE kind = 'count'"),
]
VIEW_QUERIES = {"provenance of a fact", "facts behind a comparison"}    # marts views, computed per query
REFERENCE_QUERY = ("one fact by key (reference)", "SELECT * FROM raw.facts WHERE fact_id = ?",
                   "SELECT fact_id FROM raw.facts USING SAMPLE 200 ROWS")


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return (s[lo] + (s[hi] - s[lo]) * (k - lo)) * 1000


def run_queries(snapshot: Path, runs: int, budget_s: float) -> dict[str, list[float]]:
    """Each question `runs` times with parameters drawn from the data (stopping early once a
    question has used `budget_s`, after at least 5 runs), on one read-only connection."""
    import duckdb
    con = duckdb.connect(str(snapshot), read_only=True)
    out: dict[str, list[float]] = {}
    try:
        con.execute("SET enable_progress_bar = false")
        for name, sql, params_sql in [REFERENCE_QUERY, *QUERIES]:
            params = con.execute(f"SELECT * FROM ({params_sql}) x ORDER BY hash(x) LIMIT {runs}").fetchall()
            if not params:
                continue
            con.execute(sql, list(params[0])).fetchall()                  # warm
            times: list[float] = []
            spent = 0.0
            for i in range(runs):
                t = time.perf_counter()
                con.execute(sql, list(params[i % len(params)])).fetchall()
                times.append(time.perf_counter() - t)
                spent += times[-1]
                if spent > budget_s and len(times) >= 5:
                    break
            out[name] = times
    finally:
        con.close()
    return out


def table_sizes(settings: Settings) -> dict[str, int]:
    con = connect(settings.warehouse, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("raw.sources", "raw.documents", "raw.facts", "raw.discovery", "core.report",
                          "core.agency_figure", "marts.province_comparison", "marts.metric_yoy", "marts.report_coverage")}
    finally:
        con.close()


# ---------------------------------------------------------------- the run

def raw_base(settings: Settings, n_facts: int, workdir: Path, phases: list[Phase]) -> None:
    """The generated raw warehouse, reused from workdir when one of this size exists."""
    cached = workdir / f"raw_{n_facts}.duckdb"
    if not cached.exists():
        tmp = replace(settings, warehouse=workdir / f".raw_{n_facts}.duckdb.tmp")
        tmp.warehouse.unlink(missing_ok=True)
        with measured(phases, "generate raw rows") as p:
            info = generate(tmp, n_facts)
        p.note = f"{info['agencies']:,} agencies, {info['documents']:,} reports, {info['facts']:,} facts"
        tmp.warehouse.rename(cached)
    shutil.copyfile(cached, settings.warehouse)


def bench(args: argparse.Namespace, workdir: Path) -> tuple[list[Phase], dict[str, list[float]], dict]:
    settings = replace(load_settings(), data_dir=workdir / "run", warehouse=workdir / "run" / "warehouse.duckdb")
    if settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
    settings.data_dir.mkdir(parents=True)
    build = BUILDERS[args.builder]
    phases: list[Phase] = []
    raw_base(settings, args.facts, workdir, phases)

    with measured(phases, "reference: CTAS raw.facts") as p:
        reference_ctas(settings)
    drop_reference(settings)
    with measured(phases, "(a) first build") as p:
        p.note = build(settings)
    with measured(phases, "(a) publish snapshot") as p:
        publish(settings)

    with measured(phases, "(b) night +1%: raw write") as p:
        info = night_new_reports(settings, "night-1pct", args.night_share, args.night)
        p.note = f"{info['documents']:,} new reports, {info['facts']:,} new facts"
    with measured(phases, "(b) night +1%: build") as p:
        p.note = build(settings)
    with measured(phases, "(b) night +1%: publish") as p:
        publish(settings)

    with measured(phases, "(c) unchanged: raw write") as p:
        night_unchanged(settings, "night-unchanged")
    with measured(phases, "(c) unchanged: build") as p:
        p.note = build(settings)
    with measured(phases, "(c) unchanged: publish") as p:
        snap = publish(settings)

    with measured(phases, "(d) queries on the snapshot") as p:
        queries = run_queries(snap, args.runs, args.query_budget)
        p.note = f"{sum(len(v) for v in queries.values())} queries"
    with measured(phases, "reference again (drift)") as p:
        reference_ctas(settings)
    drop_reference(settings)
    return phases, queries, table_sizes(settings)


def print_report(args: argparse.Namespace, phases: list[Phase], queries: dict[str, list[float]],
                 sizes: dict[str, int]) -> dict:
    ref = next(p for p in phases if p.name.startswith("reference:"))
    print(f"\n== warehouse bench: builder {args.builder}, night {args.night}, {sizes['raw.facts']:,} facts "
          f"({sizes['raw.documents']:,} reports, {sizes['raw.sources']:,} agencies)")
    print("   rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"   {'phase':<30}{'wall s':>9}{'CPU s':>9}{'x ref':>8}{'x ref CPU':>10}{'peak RSS MB':>13}  note")
    for p in phases:
        rss = f"{p.rss_mb:,.0f}" + (f" (+{p.child_rss_mb:,.0f})" if p.child_rss_mb > 50 else "")
        print(f"   {p.name:<30}{p.wall:>9.1f}{p.cpu:>9.1f}{p.wall / ref.wall:>8.2f}{p.cpu / ref.cpu:>10.2f}{rss:>13}  {p.note}")
    qref = queries.get(REFERENCE_QUERY[0], [])
    qref95 = _pct(qref, 95)
    print(f"   {'query (snapshot, read-only)':<30}{'runs':>6}{'p50 ms':>9}{'p95 ms':>9}{'x ref p95':>11}")
    pooled: dict[str, list[float]] = {"all mart tables": [], "all mart views": []}
    for name, xs in queries.items():
        if name != REFERENCE_QUERY[0]:
            pooled["all mart views" if name in VIEW_QUERIES else "all mart tables"] += xs
        print(f"   {name:<30}{len(xs):>6}{_pct(xs, 50):>9.1f}{_pct(xs, 95):>9.1f}{_pct(xs, 95) / qref95:>11.1f}")
    for name, xs in pooled.items():
        print(f"   {name:<30}{len(xs):>6}{_pct(xs, 50):>9.1f}{_pct(xs, 95):>9.1f}{_pct(xs, 95) / qref95:>11.1f}")
    headline = next(p for p in phases if p.name == "(b) night +1%: build")
    marts_all = pooled["all mart tables"]
    print(f"   headline: a night adding 1% of facts, {args.builder} build {headline.wall:.1f} s wall "
          f"({headline.cpu:.1f} CPU-s; x{headline.wall / ref.wall:.2f} the reference's wall, x{headline.cpu / ref.cpu:.2f} its CPU); "
          f"mart table query p95 "
          f"{_pct(marts_all, 95):.1f} ms (views {_pct(pooled['all mart views'], 95):.1f} ms)")
    return {"builder": args.builder, "night": args.night, "sizes": sizes,
            "phases": [{"name": p.name, "wall_s": round(p.wall, 3), "cpu_s": round(p.cpu, 3),
                        "x_ref": round(p.wall / ref.wall, 3), "x_ref_cpu": round(p.cpu / ref.cpu, 3),
                        "peak_rss_mb": round(p.rss_mb),
                        "child_peak_rss_mb": round(p.child_rss_mb), "note": p.note} for p in phases],
            "queries": {n: {"runs": len(x), "p50_ms": round(_pct(x, 50), 2), "p95_ms": round(_pct(x, 95), 2)}
                        for n, x in queries.items()},
            "mart_table_p95_ms": round(_pct(marts_all, 95), 2),
            "mart_view_p95_ms": round(_pct(pooled["all mart views"], 95), 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--facts", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    ap.add_argument("--builder", choices=["dbt", "legacy", "both"], default="dbt",
                    help=f"dbt (today), legacy (the hand-written builder at {LEGACY_REV}), both (legacy, then dbt)")
    ap.add_argument("--night-share", type=float, default=0.01, help="new documents a night, share of those loaded")
    ap.add_argument("--night", choices=["new-year", "spread"], default="new-year",
                    help="which reports a night adds: the next year's, or missing ones across all years")
    ap.add_argument("--runs", type=int, default=30, help="runs of each query")
    ap.add_argument("--query-budget", type=float, default=60.0, help="seconds one query may use (>= 5 runs)")
    ap.add_argument("--workdir", type=Path, default=None, help="generated warehouses (kept; the raw one is reused)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary workdir")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if args.builder in ("legacy", "both"):
        rest = _without(sys.argv[1:] if argv is None else argv, "--builder", "--workdir", "--json")
        own = ["--workdir", str(args.workdir / "legacy")] if args.workdir else []   # its own raw DB
        rc = run_legacy([*rest, *own, "--builder", "legacy"])
        if args.builder == "legacy" or rc:
            return rc
        args.builder = "dbt"
    try:
        check_builder(args.builder)
    except BuilderMissing as e:
        print(f"bench_warehouse_10m: {e}", file=sys.stderr)
        return 2
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_wh10m_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        phases, queries, sizes = bench(args, work)
        summary = print_report(args, phases, queries, sizes)
        if args.json:
            args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        if not args.workdir and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif args.workdir is None:
            print(f"   kept: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
