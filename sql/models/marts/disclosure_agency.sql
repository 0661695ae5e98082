-- Per agency and year: the disclosure figures analysts compare (drill-down rows of
-- marts.disclosure_comparison), with the report's flags. A figure is NULL when a cell it
-- adds is flagged (a failed check involves it and no review accepted the report) or was
-- not read: a flagged report's other figures stay usable. Reports a review rejected are
-- left out. Column documentation: schema.yml.
WITH c AS (
    SELECT *, CASE WHEN flagged THEN NULL ELSE figure END AS u
    FROM {{ ref('disclosure_cell') }}
),
f AS (
    SELECT doc_id,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric = 'xxgk.requests.new.total')
                THEN sum(u) FILTER (WHERE metric = 'xxgk.requests.new.total') END            AS requests_received,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric = 'xxgk.requests.carried_over.total')
                THEN sum(u) FILTER (WHERE metric = 'xxgk.requests.carried_over.total') END   AS requests_carried_over,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric = 'xxgk.result.total.total')
                THEN sum(u) FILTER (WHERE metric = 'xxgk.result.total.total') END            AS requests_handled,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric = 'xxgk.result.disclosed.total')
                THEN sum(u) FILTER (WHERE metric = 'xxgk.result.disclosed.total') END        AS disclosed_in_full,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric = 'xxgk.result.partial.total')
                THEN sum(u) FILTER (WHERE metric = 'xxgk.result.partial.total') END          AS disclosed_in_part,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric LIKE 'xxgk.result.withheld.%.total')
                THEN sum(u) FILTER (WHERE metric LIKE 'xxgk.result.withheld.%.total') END    AS refused,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric = 'xxgk.reconsideration.total')
                THEN sum(u) FILTER (WHERE metric = 'xxgk.reconsideration.total') END         AS reconsiderations,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric IN ('xxgk.litigation.direct.total',
                                                                       'xxgk.litigation.after_reconsideration.total'))
                THEN sum(u) FILTER (WHERE metric IN ('xxgk.litigation.direct.total',
                                                     'xxgk.litigation.after_reconsideration.total')) END AS suits,
           CASE WHEN bool_and(u IS NOT NULL) FILTER (WHERE metric IN ('xxgk.reconsideration.corrected',
                                     'xxgk.litigation.direct.corrected', 'xxgk.litigation.after_reconsideration.corrected'))
                THEN sum(u) FILTER (WHERE metric IN ('xxgk.reconsideration.corrected', 'xxgk.litigation.direct.corrected',
                                                     'xxgk.litigation.after_reconsideration.corrected')) END AS corrected,
           sum(CASE WHEN unit = '万元' THEN u * 10000 ELSE u END)
               FILTER (WHERE metric = 'xxgk.other.processing_fee')                        AS processing_fee_yuan,
           count(*) FILTER (WHERE status NOT IN ('unread') AND section <> 'stated')       AS n_cells,
           count(*) FILTER (WHERE status IN ('unread', 'unaligned'))                      AS n_unread_cells,
           count(*) FILTER (WHERE flagged)                                                AS n_flagged_cells
    FROM c
    GROUP BY doc_id
),
w AS (
    SELECT doc_id,
           count(*) FILTER (WHERE kind = 'crossyear' AND NOT holds) AS n_crossyear_warnings,
           count(*) FILTER (WHERE kind = 'prose' AND NOT holds)     AS n_prose_warnings,
           string_agg(CASE WHEN NOT holds THEN concat(rule, ': ', lhs, ' != ', rhs, ' (', equation, ')') END, '; '
                      ORDER BY kind, rule) AS warnings
    FROM {{ source('dq', 'disclosure_warnings') }} GROUP BY doc_id
)
SELECT r.doc_id, r.source_id, r.agency, r.province, r.province_code, r.level, r.report_year,
       f.requests_received, f.requests_carried_over, f.requests_handled, f.disclosed_in_full,
       f.disclosed_in_part, f.refused, f.reconsiderations, f.suits, f.corrected, f.processing_fee_yuan,
       f.n_cells,
       round(f.disclosed_in_full / nullif(f.requests_handled, 0), 4)               AS share_disclosed,
       round(f.refused / nullif(f.requests_handled, 0), 4)                         AS share_refused,
       round(f.corrected / nullif(f.reconsiderations + f.suits, 0), 4)             AS share_corrected,
       r.status, r.flagged, r.n_failed_checks, r.n_not_evaluated, f.n_flagged_cells, f.n_unread_cells,
       r.review_decision, r.reviewed_by,
       coalesce(w.n_crossyear_warnings, 0) AS n_crossyear_warnings,
       coalesce(w.n_prose_warnings, 0)     AS n_prose_warnings,
       w.warnings,
       r.layout, r.url, r.title
FROM {{ ref('disclosure_report') }} r
JOIN f USING (doc_id)
LEFT JOIN w USING (doc_id)
WHERE r.review_decision IS DISTINCT FROM 'rejected'
