-- One figure per agency, report year and compared quantity (metric, measure, unit):
-- the largest mention in its report. A report restates its totals (in prose and in a
-- table, in the summary and in a section), so summing mentions would count them twice;
-- breakdowns of a total (is_part) are left out for the same reason, and so are facts no
-- catalog metric claims (metric 'other'). `fact_id` is the fact the figure rests on (ties:
-- the first in fact_id order), `n_mentions` how many facts stated the same quantity.
--
-- Incremental: a night that adds 1% of the facts recomputes only the (agency, year)
-- partitions it touched: the pre-hook deletes them (macros/agency_figure.sql says which),
-- then every partition missing from the table is computed and appended. A partition holds
-- one report (core.report: one per writer and year), so it changed when
--   its report is another document than the one its figures cite (a republished report,
--     a document that moved to another writer or year, a report new or gone),
--   its document's facts were loaded or replaced by a run after the last good build
--     (raw.facts / raw.documents / raw.fact_versions by run: reprocess included),
--   its agency's registered attributes changed (raw.sources is rewritten every night).
-- A change of the project itself (SQL, seeds) makes the build a full refresh
-- (etl/warehouse/build.py), so the partitions never mix two versions of the rules.
-- The deleted and the computed partitions are logged in core.agency_figure_changes (the
-- deleted ones before the delete, with the province they had): the marts built from this
-- table rebuild only the province-years named there. `build_id` is the dbt invocation
-- that computed a row.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook=["{% if is_incremental() %}INSERT INTO {{ ref('agency_figure_changes') }} SELECT DISTINCT t.source_id, t.report_year, t.province_code FROM {{ this }} t WHERE EXISTS (SELECT 1 FROM ({{ agency_figure_changed(this) }}) c WHERE c.source_id = t.source_id AND c.report_year = t.report_year){% endif %}",
                    "{% if is_incremental() %}DELETE FROM {{ this }} t WHERE EXISTS (SELECT 1 FROM {{ ref('agency_figure_changes') }} c WHERE c.source_id = t.source_id AND c.report_year = t.report_year){% endif %}"],
          post_hook="INSERT INTO {{ ref('agency_figure_changes') }} SELECT DISTINCT source_id, report_year, province_code FROM {{ this }} WHERE build_id = '{{ invocation_id }}'") }}
-- depends_on: {{ ref('agency_figure_changes') }}
-- depends_on: {{ ref('report') }} {{ source('raw', 'runs') }} {{ source('raw', 'model_builds') }}
-- depends_on: {{ source('raw', 'documents') }} {{ source('raw', 'facts') }} {{ source('raw', 'fact_versions') }}
WITH figure AS (   -- grouped on the narrow key first; the agency's attributes joined after
    SELECT source_id, report_year, metric, category, kind, measure, unit_cmp AS unit,
           max(value_cmp)                                              AS value,
           arg_min(qualifier, {'v': -value_cmp, 'id': fact_id})        AS qualifier,
           arg_min(fact_id, {'v': -value_cmp, 'id': fact_id})          AS fact_id,
           count(*)                                                    AS n_mentions
    FROM {{ ref('fact_metric') }} m
    WHERE NOT is_part AND metric <> 'other'
    {% if is_incremental() %}AND NOT EXISTS (SELECT 1 FROM {{ this }} t    -- the partitions the pre-hook deleted, and new ones
                    WHERE t.source_id = m.source_id AND t.report_year = m.report_year){% endif %}
    GROUP BY source_id, report_year, metric, category, kind, measure, unit_cmp
)
SELECT a.source_id, a.agency, a.province, a.province_code, a.city, a.county, a.level, a.sector,
       f.report_year, f.metric, f.category, f.kind, f.measure, f.unit,
       f.value, f.qualifier, f.qualifier IN ('more_than', 'at_least') AS is_lower_bound,
       f.fact_id, f.n_mentions, '{{ invocation_id }}' AS build_id
FROM figure f
JOIN {{ ref('dim_agency') }} a USING (source_id)
