-- One figure per agency, report year and compared quantity (metric, measure, unit):
-- the largest mention in its report. A report restates its totals (in prose and in a
-- table, in the summary and in a section), so summing mentions would count them twice;
-- breakdowns of a total (is_part) are left out for the same reason, and so are facts no
-- catalog metric claims (metric 'other'). `fact_id` is the fact the figure rests on (ties:
-- the first in fact_id order), `n_mentions` how many facts stated the same quantity.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.agency_figure AS
WITH ranked AS (
    SELECT *,
           row_number() OVER w                  AS rn,
           count(*) OVER (PARTITION BY source_id, report_year, metric, measure, unit_cmp) AS n_mentions
    FROM core.fact_metric
    WHERE NOT is_part AND metric <> 'other'
    WINDOW w AS (PARTITION BY source_id, report_year, metric, measure, unit_cmp
                 ORDER BY value_cmp DESC, fact_id)
)
SELECT source_id, agency, province, province_code, city, county, level, sector, report_year,
       metric, category, kind, measure, unit_cmp AS unit, value_cmp AS value, qualifier,
       qualifier IN ('more_than', 'at_least') AS is_lower_bound,
       fact_id, n_mentions
FROM ranked
WHERE rn = 1;
