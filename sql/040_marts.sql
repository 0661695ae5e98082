-- Marts: what analysts compare across provinces.
CREATE SCHEMA IF NOT EXISTS marts;

-- Province x metric x year. Parts of a total are left out so nothing is counted twice;
-- rates are averaged, counts summed. `n_lower_bounds` says how many of the summed values
-- were written as "more than" (余/多/以上), i.e. the total is itself a lower bound.
CREATE OR REPLACE VIEW marts.province_comparison AS
WITH facts AS (
    SELECT * FROM core.fact_metric WHERE NOT is_part
),
by_agency AS (   -- one value per agency: several mentions of one metric are summed
    SELECT province, province_code, report_year, metric, category, unit, source_id,
           CASE WHEN unit = '%' THEN avg(value) ELSE sum(value) END AS value,
           bool_or(is_lower_bound)            AS is_lower_bound
    FROM facts
    GROUP BY province, province_code, report_year, metric, category, unit, source_id
)
SELECT province, province_code, report_year, metric, category, unit,
       count(DISTINCT source_id)                               AS n_agencies,
       CASE WHEN unit = '%' THEN NULL ELSE sum(value) END      AS total,
       CASE WHEN unit = '%' THEN round(avg(value), 2) END      AS mean_pct,
       count(*) FILTER (WHERE is_lower_bound)                  AS n_lower_bounds
FROM by_agency
GROUP BY province, province_code, report_year, metric, category, unit;

-- How much each agency reported, per year: coverage for the analyst.
CREATE OR REPLACE VIEW marts.agency_coverage AS
SELECT r.province, r.province_code, r.agency, r.report_year, r.fmt,
       count(f.fact_id)                                        AS n_facts,
       count(DISTINCT f.category)                              AS n_categories
FROM core.report r
LEFT JOIN staging.stg_facts f USING (doc_id)
GROUP BY ALL;
