-- How much each agency reported, per year (kept for existing queries; report_coverage
-- also lists the agencies that did not publish). Column documentation: schema.yml.
SELECT r.province, r.province_code, r.source_id, r.agency, r.level, r.report_year, r.fmt,
       count(f.fact_id)                AS n_facts,
       count(DISTINCT f.category)      AS n_categories
FROM {{ ref('report') }} r
LEFT JOIN {{ ref('stg_facts') }} f ON f.doc_id = r.doc_id
GROUP BY ALL
