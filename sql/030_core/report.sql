-- One report per agency and year. An agency sometimes republishes its report (new URL,
-- corrected text): the latest published wins (doc_id breaks ties so the choice never
-- flips between loads). Documents with no report year, or superseded ones, stay in
-- raw.documents only.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.report AS
WITH ranked AS (
    SELECT d.*,
           row_number() OVER (PARTITION BY d.source_id, d.report_year
                              ORDER BY d.published_at DESC NULLS LAST, d.doc_id) AS rn
    FROM staging.stg_documents d
    WHERE d.report_year IS NOT NULL
)
SELECT r.doc_id, r.source_id, a.agency, a.province, a.province_code, a.city, a.county,
       a.level, a.sector, r.report_year, r.title, r.url, r.fmt, r.published_at,
       r.extractor_version
FROM ranked r
JOIN core.dim_agency a USING (source_id)
WHERE r.rn = 1;
