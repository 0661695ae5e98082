-- Every registered agency x every report year: was its report found, was it published by
-- the 31 March deadline, in which format, with how many facts. Column documentation:
-- schema.yml.
WITH years AS (
    SELECT unnest(range(min(report_year), max(report_year) + 1))::INTEGER AS report_year FROM {{ ref('report') }}
),
facts AS (
    SELECT doc_id, count(*) AS n_facts,
           count(*) FILTER (WHERE metric <> 'other') AS n_metric_facts
    FROM {{ ref('stg_facts') }} GROUP BY doc_id
),
last_run AS (SELECT run_id FROM {{ source('raw', 'runs') }} ORDER BY loaded_at DESC LIMIT 1),
errors AS (   -- each distinct problem once; the URL added where the message lacks it
    SELECT source_id, string_agg(DISTINCT msg, '; ' ORDER BY msg) AS errors
    FROM (SELECT source_id,
                 stage || ': ' || error || CASE WHEN strpos(error, url) > 0 THEN '' ELSE ' (' || url || ')' END AS msg
          FROM {{ source('raw', 'document_errors') }} WHERE run_id IN (SELECT run_id FROM last_run))
    GROUP BY source_id
)
SELECT a.source_id, a.agency, a.level, a.sector, a.province, a.province_code, y.report_year,
       r.doc_id IS NOT NULL                                        AS found,
       make_date(y.report_year + 1, 3, 31)                         AS deadline,
       r.published_at,
       CASE WHEN r.doc_id IS NULL THEN 'missing'
            WHEN r.published_at IS NULL THEN 'date_unknown'
            WHEN r.published_at < make_date(y.report_year + 1, 4, 1) THEN 'on_time'
            ELSE 'late' END                                        AS timeliness,
       CASE WHEN r.published_at >= make_date(y.report_year + 1, 4, 1)
            THEN date_diff('day', make_date(y.report_year + 1, 3, 31), r.published_at::DATE) END AS days_late,
       r.fmt, r.url, r.doc_id, r.title,
       coalesce(f.n_facts, 0)                                      AS n_facts,
       coalesce(f.n_metric_facts, 0)                               AS n_metric_facts,
       CASE WHEN r.doc_id IS NULL THEN e.errors END                AS open_errors
FROM {{ ref('dim_agency') }} a
CROSS JOIN years y
LEFT JOIN {{ ref('report') }} r ON r.source_id = a.source_id AND r.report_year = y.report_year
LEFT JOIN facts f ON f.doc_id = r.doc_id
LEFT JOIN errors e ON e.source_id = a.source_id
