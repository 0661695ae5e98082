-- One figure per agency, report year and compared quantity (metric, measure, unit):
-- the largest mention in its report. A report restates its totals (in prose and in a
-- table, in the summary and in a section), so summing mentions would count them twice;
-- breakdowns of a total (is_part) are left out for the same reason, and so are facts no
-- catalog metric claims (metric 'other'). `fact_id` is the fact the figure rests on (ties:
-- the first in fact_id order), `n_mentions` how many facts stated the same quantity.
WITH figure AS (   -- grouped on the narrow key first; the agency's attributes joined after
    SELECT source_id, report_year, metric, category, kind, measure, unit_cmp AS unit,
           max(value_cmp)                                              AS value,
           arg_min(qualifier, {'v': -value_cmp, 'id': fact_id})        AS qualifier,
           arg_min(fact_id, {'v': -value_cmp, 'id': fact_id})          AS fact_id,
           count(*)                                                    AS n_mentions
    FROM {{ ref('fact_metric') }}
    WHERE NOT is_part AND metric <> 'other'
    GROUP BY source_id, report_year, metric, category, kind, measure, unit_cmp
)
SELECT a.source_id, a.agency, a.province, a.province_code, a.city, a.county, a.level, a.sector,
       f.report_year, f.metric, f.category, f.kind, f.measure, f.unit,
       f.value, f.qualifier, f.qualifier IN ('more_than', 'at_least') AS is_lower_bound,
       f.fact_id, f.n_mentions
FROM figure f
JOIN {{ ref('dim_agency') }} a USING (source_id)
