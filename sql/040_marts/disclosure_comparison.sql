-- Province x year: the 政府信息公开 figures of the agencies that reported (loaded reports
-- only; quarantined ones are counted apart). Shares are pooled: the province's sums
-- divided, not an average of agency shares. Column documentation: disclosure_comparison.md.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.disclosure_comparison AS
WITH held AS (
    SELECT coalesce(nullif(d.province, ''), s.province) AS province, d.report_year,
           count(DISTINCT d.doc_id) AS n_quarantined
    FROM raw.disclosure_reports d LEFT JOIN raw.sources s USING (source_id)
    WHERE d.status = 'quarantined'
    GROUP BY ALL
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
           sum(processing_fee_yuan)          AS processing_fee_yuan
    FROM marts.disclosure_agency
    GROUP BY ALL
)
SELECT p.*,
       round(disclosed_in_full / nullif(requests_handled, 0), 4)   AS share_disclosed,
       round(refused / nullif(requests_handled, 0), 4)             AS share_refused,
       round(corrected / nullif(reconsiderations + suits, 0), 4)   AS share_corrected,
       coalesce(h.n_quarantined, 0)                                AS n_quarantined
FROM p LEFT JOIN held h USING (province, report_year)
ORDER BY province, report_year;
