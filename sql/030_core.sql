-- Core layer: one report per agency and year, and one row per loaded fact.
CREATE SCHEMA IF NOT EXISTS core;

-- An agency sometimes republishes its report (new URL, corrected text): the latest
-- published wins (doc_id breaks ties so the choice never flips between loads).
-- Documents with no report year, or superseded ones, stay in raw.documents only.
CREATE OR REPLACE VIEW core.report AS
WITH ranked AS (
    SELECT d.*,
           row_number() OVER (PARTITION BY d.source_id, d.report_year
                              ORDER BY d.published_at DESC NULLS LAST, d.doc_id) AS rn
    FROM staging.stg_documents d
    WHERE d.report_year IS NOT NULL
)
SELECT r.doc_id, r.source_id, s.agency, s.province, s.province_code, s.city, s.county, s.level,
       r.report_year, r.title, r.url, r.fmt, r.published_at
FROM ranked r
JOIN staging.stg_sources s USING (source_id)
WHERE r.rn = 1;

CREATE OR REPLACE VIEW core.fact_metric AS
SELECT f.fact_id,
       f.doc_id            AS document,
       r.title             AS document_title,
       r.url               AS document_url,
       r.source_id,
       r.agency, r.province, r.province_code, r.city, r.county, r.level,
       r.report_year,
       f.metric, f.category, f.value, f.unit, f.qualifier,
       f.is_part, f.is_lower_bound,
       f.subject, f.quote, f.sentence,
       f.start_pos, f.end_pos   -- 0-based, end exclusive: substring(text, start_pos + 1, end_pos - start_pos)
FROM staging.stg_facts f
JOIN core.report r USING (doc_id);
