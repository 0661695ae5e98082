-- Province x report year x level x compared quantity: what analysts put side by side.
-- Built from core.agency_figure (one figure per agency: restatements and breakdowns
-- never counted twice). Levels are never added together: a province-level department's
-- 全省 figure already contains its cities' and counties' work, so each row holds one
-- level only and provinces are compared level by level. Rates are never summed and
-- never pooled across measures: median / min / max over the agencies of one measure.
-- Incremental by (province, report_year): a build deletes and recomputes only the
-- province-years whose agency figures changed (core.agency_figure_changes); a change of
-- the project is a full refresh (etl/warehouse/build.py).
-- Column documentation: schema.yml.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{% if is_incremental() %}DELETE FROM {{ this }} t WHERE {{ in_changed_province_years('t') }}{% endif %}") }}
-- depends_on: {{ ref('agency_figure_changes') }}
WITH figure AS (
    SELECT * FROM {{ ref('agency_figure') }} f
    {% if is_incremental() %}WHERE {{ in_changed_province_years('f') }}{% endif %}
)
SELECT province, province_code, report_year, level, metric, category, kind, measure, unit,
       count(*)                                               AS n_agencies,
       sum(n_mentions)::BIGINT                                AS n_facts,
       CASE WHEN kind = 'count' THEN sum(value) END           AS total,
       median(value)                                          AS median,
       min(value)                                             AS min,
       max(value)                                             AS max,
       count(*) FILTER (WHERE is_lower_bound)                 AS n_lower_bounds,
       count(*) FILTER (WHERE qualifier = 'approx')           AS n_approx,
       count(*) FILTER (WHERE qualifier = 'at_most')          AS n_upper_bounds,
       kind = 'count' AND count(*) FILTER (WHERE is_lower_bound) > 0 AS total_is_lower_bound,
       list(fact_id ORDER BY fact_id)                         AS fact_ids
FROM figure
GROUP BY province, province_code, report_year, level, metric, category, kind, measure, unit
