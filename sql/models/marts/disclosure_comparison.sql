-- Province x year: the 政府信息公开 figures of the agencies that reported. A flagged
-- report counts with its usable figures (its flagged cells are left out of each sum:
-- n_flagged says how many reports are flagged); unreadable (quarantined) reports are counted
-- apart. Shares are pooled: the province's sums
-- divided, not an average of agency shares. Column documentation: schema.yml.
WITH held AS (
    SELECT coalesce(nullif(d.province, ''), s.province) AS province, d.report_year,
           count(DISTINCT d.doc_id) AS n_quarantined
    FROM {{ source('raw', 'disclosure_reports') }} d LEFT JOIN {{ source('raw', 'sources') }} s USING (source_id)
    WHERE d.status = 'quarantined'
    GROUP BY ALL
),
flags AS (
    SELECT province, report_year, count(*) FILTER (WHERE flagged) AS n_flagged,
           count(*) FILTER (WHERE n_crossyear_warnings + n_prose_warnings > 0) AS n_warned
    FROM {{ ref('disclosure_agency') }} GROUP BY ALL
),
p AS (
    SELECT province, province_code, report_year,
           count(DISTINCT source_id)         AS n_agencies,
           sum(requests_received)            AS requests_received,
           sum(requests_handled)             AS requests_handled,
           sum(disclosed_in_full)            AS disclosed_in_full,
           sum(refused)                      AS refused,
           sum(reconsiderations)             AS reconsiderations,
           sum(suits)                        AS suits,
           sum(corrected)                    AS corrected,
           sum(processing_fee_yuan)          AS processing_fee_yuan,
           -- shares pool only the agencies whose numerator and denominator are both usable
           sum(disclosed_in_full) FILTER (WHERE requests_handled IS NOT NULL)
               / nullif(sum(requests_handled) FILTER (WHERE disclosed_in_full IS NOT NULL), 0)   AS _sd,
           sum(refused) FILTER (WHERE requests_handled IS NOT NULL)
               / nullif(sum(requests_handled) FILTER (WHERE refused IS NOT NULL), 0)             AS _sr,
           sum(corrected) FILTER (WHERE reconsiderations IS NOT NULL AND suits IS NOT NULL)
               / nullif(sum(reconsiderations + suits) FILTER (WHERE corrected IS NOT NULL), 0)  AS _sc
    FROM {{ ref('disclosure_agency') }}
    GROUP BY ALL
)
SELECT p.* EXCLUDE (_sd, _sr, _sc),
       round(_sd, 4)                                               AS share_disclosed,
       round(_sr, 4)                                               AS share_refused,
       round(_sc, 4)                                               AS share_corrected,
       coalesce(h.n_quarantined, 0)                                AS n_quarantined,
       coalesce(fl.n_flagged, 0)                                   AS n_flagged,
       coalesce(fl.n_warned, 0)                                    AS n_warned
FROM p LEFT JOIN held h USING (province, report_year)
LEFT JOIN flags fl USING (province, report_year)
ORDER BY province, report_year
