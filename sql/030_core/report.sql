-- One report per agency and year. An agency sometimes republishes its report (new URL,
-- corrected text): the latest published wins (doc_id breaks ties so the choice never
-- flips between loads). A report reposted in another agency's column (转载) belongs to
-- the agency that wrote it, and its own column's copy wins over the repost. Documents
-- with no report year, disclosure reports (core.disclosure_report) and superseded ones
-- stay in raw.documents only.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.report AS
WITH docs AS (
    SELECT d.*,
           -- the registered source of the writer, when the text names another agency
           coalesce(w.source_id, d.source_id) AS owner_id,
           -- a text naming an unregistered writer stays with the column, behind its own report
           coalesce(w.source_id = d.source_id, d.written_by IS NOT DISTINCT FROM d.portal_agency
                    OR d.written_by IS NULL) AS in_own_column
    FROM staging.stg_documents d
    LEFT JOIN core.dim_agency w   -- names match whole or with a region prefix (硚口区X局 = 武汉市硚口区X局)
      ON d.written_by IS DISTINCT FROM d.portal_agency
     AND (w.agency = d.written_by
          OR (length(d.written_by) >= 5 AND ends_with(w.agency, d.written_by))
          OR (length(w.agency) >= 5 AND ends_with(d.written_by, w.agency)))
    WHERE d.report_year IS NOT NULL AND d.report_kind = 'rule_of_law'
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY owner_id, report_year
                              ORDER BY in_own_column DESC, published_at DESC NULLS LAST, doc_id) AS rn
    FROM docs
)
SELECT r.doc_id, r.owner_id AS source_id, a.agency, a.province, a.province_code, a.city, a.county,
       a.level, a.sector, r.report_year, r.title, r.url, r.fmt, r.published_at,
       r.extractor_version, r.portal_agency
FROM ranked r
JOIN core.dim_agency a ON a.source_id = r.owner_id
WHERE r.rn = 1;
