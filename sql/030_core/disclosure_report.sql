-- 政府信息公开工作年度报告: one loaded report per agency and year (a republished report
-- replaces the older one; doc_id breaks ties). Quarantined reports (a consistency rule
-- failed) and reports without tables stay in raw.disclosure_reports only.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.disclosure_report AS
WITH ranked AS (
    SELECT d.*, row_number() OVER (PARTITION BY d.source_id, d.report_year
                                   ORDER BY try_cast(nullif(d.pub_date, '') AS TIMESTAMP) DESC NULLS LAST,
                                            d.doc_id) AS rn
    FROM raw.disclosure_reports d
    WHERE d.status = 'loaded' AND d.report_year IS NOT NULL
)
SELECT r.doc_id, r.source_id, coalesce(nullif(r.agency, ''), s.agency) AS agency,
       coalesce(nullif(r.province, ''), s.province) AS province,
       coalesce(nullif(r.province_code, ''), s.province_code) AS province_code,
       s.level, r.report_year, r.title, r.url, r.layout, r.n_cells,
       try_cast(nullif(r.pub_date, '') AS TIMESTAMP) AS published_at
FROM ranked r
LEFT JOIN raw.sources s USING (source_id)
WHERE r.rn = 1;
