-- Year-on-year change of each compared quantity, per agency and per province (level by
-- level, over the agencies that reported it in both years). Column documentation:
-- schema.yml.
-- Incremental by (province, report_year): a changed agency figure of year Y changes the
-- rows of Y (its value) and of Y + 1 (its previous value), so a build deletes and
-- recomputes those province-years of the changed partitions (core.agency_figure_changes).
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} t WHERE {{ in_changed_province_years('t', [0, 1]) }}{% endif %}") }}
-- depends_on: {{ ref('agency_figure_changes') }}
WITH current_year AS (   -- the figures whose rows this build computes
    SELECT * FROM {{ ref('agency_figure') }} f
    {% if is_incremental() %}WHERE {{ in_changed_province_years('f', [0, 1]) }}{% endif %}
),
agency AS (
    SELECT 'agency' AS scope, c.province, c.province_code, c.level, c.source_id, c.agency,
           c.metric, c.kind, c.measure, c.unit, c.report_year,
           c.value, p.value AS prev_value, 1 AS n_agencies,
           c.is_lower_bound OR p.is_lower_bound AS has_lower_bound,
           c.fact_id, p.fact_id AS prev_fact_id
    FROM current_year c
    JOIN {{ ref('agency_figure') }} p
      ON p.source_id = c.source_id AND p.metric = c.metric AND p.measure = c.measure
     AND p.unit = c.unit AND p.report_year = c.report_year - 1
),
province AS (
    SELECT 'province', province, province_code, level, NULL, NULL,
           metric, kind, measure, unit, report_year,
           CASE WHEN kind = 'count' THEN sum(value) ELSE median(value) END,
           CASE WHEN kind = 'count' THEN sum(prev_value) ELSE median(prev_value) END,
           count(*), bool_or(has_lower_bound), NULL, NULL
    FROM agency
    GROUP BY province, province_code, level, metric, kind, measure, unit, report_year
)
SELECT *,
       value - prev_value AS change,
       CASE WHEN kind = 'count' AND prev_value <> 0
            THEN round(100 * (value - prev_value) / abs(prev_value), 1) END AS change_pct
FROM (SELECT * FROM agency UNION ALL SELECT * FROM province)
