-- One report per writer and year. The writer is read from the document (its title,
-- heading, opening, signature, 发布机构: etl/metadata/writer.py), not from the column it was
-- listed in: a county's report reposted (转载) in its city's column belongs to the county,
-- and a report of another region to that region. A writer that is a registered agency is
-- that agency (source_id, its registered region and sector); any other writer is kept
-- under its own name and region chain with source_id NULL (listed_in names the column).
-- An agency sometimes republishes its report (new URL, corrected text): its own column's
-- copy wins over a repost, then the latest published (doc_id breaks ties so the choice
-- never flips between loads). Documents decided not to be reports (report_kind 'decoy',
-- with decision_reason), documents with no report year, and disclosure reports
-- (core.disclosure_report) stay in raw.documents only: a decoy never displaces a report.
WITH docs AS (
    SELECT d.* FROM {{ ref('stg_documents') }} d
    WHERE d.report_year IS NOT NULL AND d.report_kind = 'rule_of_law'
),
named AS (   -- a writer other than the column owner, matched to a registered agency by name
    SELECT d.doc_id,          -- whole, or with a region prefix (硚口区X局 = 武汉市硚口区X局): exact first
           arg_min(w.source_id, (w.agency <> d.written_by)::INT * 1000 + abs(length(w.agency) - length(d.written_by))) AS source_id
    FROM docs d
    JOIN {{ ref('dim_agency') }} w
      ON d.written_by IS DISTINCT FROM d.portal_agency
     AND (w.agency = d.written_by
          OR (length(d.written_by) >= 5 AND ends_with(w.agency, d.written_by))
          OR (length(w.agency) >= 5 AND ends_with(d.written_by, w.agency)))
    GROUP BY d.doc_id
),
keyed AS (
    SELECT d.*,
           CASE WHEN d.written_by IS NULL OR d.written_by = d.portal_agency THEN d.source_id
                ELSE n.source_id END                                   AS writer_id,   -- registered writer
           CASE WHEN d.written_by IS NULL OR d.written_by = d.portal_agency THEN 'source:' || d.source_id
                WHEN n.source_id IS NOT NULL THEN 'source:' || n.source_id
                ELSE 'writer:' || d.written_by END                     AS writer_key
    FROM docs d
    LEFT JOIN named n USING (doc_id)
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY writer_key, report_year
                              ORDER BY (writer_id IS NOT DISTINCT FROM source_id) DESC,
                                       published_at DESC NULLS LAST, doc_id) AS rn
    FROM keyed
)
SELECT r.doc_id, r.writer_id AS source_id,
       coalesce(a.agency, r.written_by)                 AS agency,
       coalesce(a.province, r.written_province)         AS province,
       coalesce(a.province_code, r.written_province_code) AS province_code,
       CASE WHEN a.source_id IS NOT NULL THEN a.city ELSE r.written_city END     AS city,
       CASE WHEN a.source_id IS NOT NULL THEN a.county ELSE r.written_county END AS county,
       coalesce(a.level, r.written_level)               AS level,
       coalesce(a.sector, 'other')                      AS sector,
       r.report_year, r.title, r.url, r.fmt, r.published_at,
       r.extractor_version, r.portal_agency,
       r.source_id                                      AS listed_in,      -- the column it was listed in
       coalesce(a.region_code, r.written_region_code)   AS region_code,
       r.writer_source                                  -- where the writer was read
FROM ranked r
LEFT JOIN {{ ref('dim_agency') }} a ON a.source_id = r.writer_id
WHERE r.rn = 1
