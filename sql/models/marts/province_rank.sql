-- Provinces ranked per report year, level and compared quantity (the facts: the same key in
-- marts.province_comparison / comparison_facts). Column documentation: schema.yml.
WITH c AS (
    SELECT *, CASE WHEN kind = 'count' THEN total / n_agencies ELSE median END AS per_agency
    FROM {{ ref('province_comparison') }}
)
SELECT report_year, level, metric, kind, measure, unit, province, province_code,
       n_agencies, per_agency, total, total_is_lower_bound,
       rank() OVER (PARTITION BY report_year, level, metric, measure, unit ORDER BY per_agency DESC) AS rank,
       CASE WHEN kind = 'count' THEN
           rank() OVER (PARTITION BY report_year, level, metric, measure, unit ORDER BY total DESC) END AS rank_by_total,
       count(*) OVER (PARTITION BY report_year, level, metric, measure, unit) AS n_provinces
FROM c
