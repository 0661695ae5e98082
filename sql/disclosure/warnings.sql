-- dq.disclosure_warnings: checks across reports, recomputed by every load over every loaded
-- report (etl/disclosure/load.py runs this after the raw rows are written; parameter 1 is
-- the load's timestamp). One row per check that could be evaluated, `holds` says whether it
-- held; a row with holds = false is a warning, shown in marts.disclosure_agency.
--
-- crossyear (the same agency = registry source, consecutive years, the latest report of
-- each year): carry_over: last year's 结转下年度继续办理 (总计) = this year's 上年结转 (总计);
-- in_force:<item>: last year's 现行有效件数 + this year's 本年制发 - 本年废止 = this year's
-- 现行有效件数 (规章, 行政规范性文件). prose: what section 一 states (xxgk.stated.*) against
-- the table: 新收, 上年结转, 行政复议 总计, 行政诉讼 总计 (both kinds).
-- Blank and 不适用 count as 0, the format's convention (as in the equations of one report);
-- a check with a term that was not read is left out (its report's own flags say why).
INSERT INTO dq.disclosure_warnings
    (kind, rule, source_id, agency, doc_id, report_year, prev_doc_id, equation, lhs, rhs, holds, figures, seen_at)
WITH rep AS (
    SELECT d.doc_id, d.source_id, coalesce(nullif(d.agency, ''), s.agency) AS agency, d.report_year,
           row_number() OVER (PARTITION BY d.source_id, d.report_year
                              ORDER BY try_cast(nullif(d.pub_date, '') AS TIMESTAMP) DESC NULLS LAST, d.doc_id) AS rn
    FROM raw.disclosure_reports d
    LEFT JOIN raw.sources s USING (source_id)
    WHERE d.status IN ('loaded', 'flagged') AND d.report_year IS NOT NULL
),
latest AS (SELECT * FROM rep WHERE rn = 1),
fig AS (
    SELECT c.doc_id, c.metric, c.raw,
           CASE WHEN c.status = 'number' THEN c.value WHEN c.status IN ('blank', 'dash') THEN 0 END AS figure
    FROM raw.disclosure_cells c JOIN latest l USING (doc_id)
),
pairs AS (
    SELECT p.doc_id AS prev_doc, c.doc_id AS cur_doc, c.source_id, c.agency, c.report_year,
           p.report_year AS prev_year
    FROM latest c JOIN latest p ON p.source_id = c.source_id AND p.report_year = c.report_year - 1
),
cross_rules (rule, prev_m, plus_m, minus_m, rhs_m) AS (
    VALUES ('carry_over', 'carried_forward.total', NULL, NULL, 'requests.carried_over.total'),
           ('in_force:regulation', 'active.regulation.in_force', 'active.regulation.issued',
            'active.regulation.repealed', 'active.regulation.in_force'),
           ('in_force:normative_doc', 'active.normative_doc.in_force', 'active.normative_doc.issued',
            'active.normative_doc.repealed', 'active.normative_doc.in_force')
),
crossyear AS (
    SELECT 'crossyear' AS kind, r.rule, p.source_id, p.agency, p.cur_doc AS doc_id, p.report_year,
           p.prev_doc AS prev_doc_id,
           concat(p.prev_year, ' ', replace(r.prev_m, 'active.', ''),
                  CASE WHEN r.plus_m IS NOT NULL THEN concat(' + ', p.report_year, ' ', replace(r.plus_m, 'active.', ''),
                                                             ' - ', p.report_year, ' ', replace(r.minus_m, 'active.', '')) ELSE '' END,
                  ' = ', p.report_year, ' ', replace(r.rhs_m, 'active.', '')) AS equation,
           a.figure + coalesce(b.figure, 0) - coalesce(m.figure, 0) AS lhs,
           d.figure AS rhs,
           json_merge_patch(json_object(concat(p.prev_year, ' ', r.prev_m), a.raw, concat(p.report_year, ' ', r.rhs_m), d.raw),
                            CASE WHEN r.plus_m IS NULL THEN '{}'
                                 ELSE json_object(concat(p.report_year, ' ', r.plus_m), b.raw,
                                                  concat(p.report_year, ' ', r.minus_m), m.raw) END) AS figures
    FROM pairs p CROSS JOIN cross_rules r
    JOIN fig a ON a.doc_id = p.prev_doc AND a.metric = 'xxgk.' || r.prev_m
    JOIN fig d ON d.doc_id = p.cur_doc AND d.metric = 'xxgk.' || r.rhs_m
    LEFT JOIN fig b ON b.doc_id = p.cur_doc AND b.metric = 'xxgk.' || r.plus_m
    LEFT JOIN fig m ON m.doc_id = p.cur_doc AND m.metric = 'xxgk.' || r.minus_m
    WHERE a.figure IS NOT NULL AND d.figure IS NOT NULL
      AND (r.plus_m IS NULL OR (b.figure IS NOT NULL AND m.figure IS NOT NULL))
),
prose_rules (rule, stated_m, t1, t2) AS (
    VALUES ('stated:requests.new', 'stated.requests.new', 'requests.new.total', NULL),
           ('stated:requests.carried_over', 'stated.requests.carried_over', 'requests.carried_over.total', NULL),
           ('stated:reconsideration', 'stated.reconsideration', 'reconsideration.total', NULL),
           ('stated:litigation', 'stated.litigation', 'litigation.direct.total', 'litigation.after_reconsideration.total')
),
prose AS (
    SELECT 'prose' AS kind, r.rule, l.source_id, l.agency, l.doc_id, l.report_year, NULL AS prev_doc_id,
           concat('section 一 ', r.stated_m, ' = table ', r.t1, CASE WHEN r.t2 IS NOT NULL THEN ' + ' || r.t2 ELSE '' END) AS equation,
           s.figure AS lhs, t1.figure + coalesce(t2.figure, 0) AS rhs,
           json_merge_patch(json_object(r.stated_m, s.raw, r.t1, t1.raw),
                            CASE WHEN r.t2 IS NULL THEN '{}' ELSE json_object(r.t2, t2.raw) END) AS figures
    FROM latest l CROSS JOIN prose_rules r
    JOIN fig s ON s.doc_id = l.doc_id AND s.metric = 'xxgk.' || r.stated_m
    JOIN fig t1 ON t1.doc_id = l.doc_id AND t1.metric = 'xxgk.' || r.t1
    LEFT JOIN fig t2 ON t2.doc_id = l.doc_id AND t2.metric = 'xxgk.' || r.t2
    WHERE s.figure IS NOT NULL AND t1.figure IS NOT NULL AND (r.t2 IS NULL OR t2.figure IS NOT NULL)
)
SELECT kind, rule, source_id, agency, doc_id, report_year, prev_doc_id, equation, lhs, rhs,
       abs(lhs - rhs) < 1e-9 AS holds, figures, ?::TIMESTAMP
FROM (SELECT * FROM crossyear UNION ALL SELECT * FROM prose)
ORDER BY source_id, report_year, kind, rule;
