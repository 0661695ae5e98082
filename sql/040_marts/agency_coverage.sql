-- How much each agency reported, per year (kept for existing queries; report_coverage
-- also lists the agencies that did not publish). Column documentation: agency_coverage.md.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.agency_coverage AS
SELECT r.province, r.province_code, r.source_id, r.agency, r.level, r.report_year, r.fmt,
       count(f.fact_id)                AS n_facts,
       count(DISTINCT f.category)      AS n_categories
FROM core.report r
LEFT JOIN staging.stg_facts f ON f.doc_id = r.doc_id
GROUP BY ALL;
