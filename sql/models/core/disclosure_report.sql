-- 政府信息公开工作年度报告: one loaded report per agency and year (a republished report
-- replaces the older one; doc_id breaks ties). A report whose figures disagree is loaded
-- with its flags (status 'flagged', dq.disclosure_checks); only a report without any
-- readable table is left out (status 'quarantined' in raw.disclosure_reports). The latest
-- review of a person (dq.disclosure_review) is joined: 'accepted' lifts the flags,
-- 'rejected' keeps the report out of the marts.
WITH ranked AS (
    SELECT d.*, row_number() OVER (PARTITION BY d.source_id, d.report_year
                                   ORDER BY try_cast(nullif(d.pub_date, '') AS TIMESTAMP) DESC NULLS LAST,
                                            d.doc_id) AS rn
    FROM {{ source('raw', 'disclosure_reports') }} d
    WHERE d.status IN ('loaded', 'flagged') AND d.report_year IS NOT NULL
),
review AS (
    SELECT doc_id, decision, reviewed_by, note, reviewed_at,
           row_number() OVER (PARTITION BY doc_id ORDER BY reviewed_at DESC) AS rn
    FROM {{ source('dq', 'disclosure_review') }}
),
checks AS (
    SELECT doc_id, count(*) FILTER (WHERE status = 'failed') AS n_failed_checks,
           count(*) FILTER (WHERE status = 'not_evaluated') AS n_not_evaluated
    FROM {{ source('dq', 'disclosure_checks') }} GROUP BY doc_id
)
SELECT r.doc_id, r.source_id, coalesce(nullif(r.agency, ''), s.agency) AS agency,
       coalesce(nullif(r.province, ''), s.province) AS province,
       coalesce(nullif(r.province_code, ''), s.province_code) AS province_code,
       s.level, r.report_year, r.title, r.url, r.layout, r.n_cells,
       try_cast(nullif(r.pub_date, '') AS TIMESTAMP) AS published_at,
       r.status,
       coalesce(k.n_failed_checks, 0) AS n_failed_checks,
       coalesce(k.n_not_evaluated, 0) AS n_not_evaluated,
       v.decision AS review_decision, v.reviewed_by, v.reviewed_at, v.note AS review_note,
       r.status = 'flagged' AND v.decision IS DISTINCT FROM 'accepted' AS flagged
FROM ranked r
LEFT JOIN {{ source('raw', 'sources') }} s USING (source_id)
LEFT JOIN review v ON v.doc_id = r.doc_id AND v.rn = 1
LEFT JOIN checks k ON k.doc_id = r.doc_id
WHERE r.rn = 1
