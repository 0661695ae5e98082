-- Marts: what analysts compare across provinces.
CREATE SCHEMA IF NOT EXISTS marts;

-- Province x metric x year. Each agency contributes one figure per metric and unit: its
-- largest mention (a report restates its totals in prose and tables, so summing mentions
-- would count them twice; parts of a total are left out for the same reason). Rates are
-- averaged over agencies, counts summed. Facts no catalog metric claims stay out.
-- `n_lower_bounds`: how many agencies' figures were written as "more than / at least"
-- (余/多/以上), i.e. the total is itself a lower bound; `n_upper_bounds` likewise (不足/以下).
CREATE OR REPLACE VIEW marts.province_comparison AS
WITH facts AS (
    SELECT * FROM core.fact_metric WHERE NOT is_part AND metric <> 'other'
),
by_agency AS (
    SELECT province, province_code, report_year, metric, category, unit, source_id,
           CASE WHEN unit = '%' THEN avg(value) ELSE max(value) END AS value,
           bool_or(is_lower_bound)            AS is_lower_bound,
           bool_or(qualifier = 'at_most')     AS is_upper_bound
    FROM facts
    GROUP BY province, province_code, report_year, metric, category, unit, source_id
)
SELECT province, province_code, report_year, metric, category, unit,
       count(DISTINCT source_id)                               AS n_agencies,
       CASE WHEN unit = '%' THEN NULL ELSE sum(value) END      AS total,
       CASE WHEN unit = '%' THEN round(avg(value), 2) END      AS mean_pct,
       count(*) FILTER (WHERE is_lower_bound)                  AS n_lower_bounds,
       count(*) FILTER (WHERE is_upper_bound)                  AS n_upper_bounds
FROM by_agency
GROUP BY province, province_code, report_year, metric, category, unit;

-- How much each agency reported, per year: coverage for the analyst.
CREATE OR REPLACE VIEW marts.agency_coverage AS
SELECT r.province, r.province_code, r.source_id, r.agency, r.report_year, r.fmt,
       count(f.fact_id)                                        AS n_facts,
       count(DISTINCT f.category)                              AS n_categories
FROM core.report r
LEFT JOIN staging.stg_facts f USING (doc_id)
GROUP BY ALL;
