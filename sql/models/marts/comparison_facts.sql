-- Companion of province_comparison: each mart row expanded to the facts it rests on,
-- with their quotes and documents. Column documentation: schema.yml.
{{ config(materialized='view') }}
SELECT c.province, c.report_year, c.level, c.metric, c.kind, c.measure, c.unit,
       p.* EXCLUDE (province, report_year, level, metric, measure, unit),
       p.unit AS unit_as_written
FROM (SELECT province, report_year, level, metric, kind, measure, unit, unnest(fact_ids) AS fact_id
      FROM {{ ref('province_comparison') }}) c
JOIN {{ ref('fact_provenance') }} p USING (fact_id)
