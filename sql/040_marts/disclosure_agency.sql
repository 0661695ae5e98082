-- Per agency and year: the disclosure figures analysts compare (drill-down rows of
-- marts.disclosure_comparison). Column documentation: disclosure_agency.md.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.disclosure_agency AS
WITH f AS (
    SELECT doc_id, source_id, agency, province, province_code, level, report_year,
           sum(figure) FILTER (WHERE metric = 'xxgk.requests.new.total')                AS requests_received,
           sum(figure) FILTER (WHERE metric = 'xxgk.requests.carried_over.total')       AS requests_carried_over,
           sum(figure) FILTER (WHERE metric = 'xxgk.result.total.total')                AS requests_handled,
           sum(figure) FILTER (WHERE metric = 'xxgk.result.disclosed.total')            AS disclosed_in_full,
           sum(figure) FILTER (WHERE metric = 'xxgk.result.partial.total')              AS disclosed_in_part,
           sum(figure) FILTER (WHERE metric LIKE 'xxgk.result.withheld.%.total')          AS refused,
           sum(figure) FILTER (WHERE metric = 'xxgk.reconsideration.total')             AS reconsiderations,
           sum(figure) FILTER (WHERE metric IN ('xxgk.litigation.direct.total',
                                                'xxgk.litigation.after_reconsideration.total')) AS suits,
           sum(figure) FILTER (WHERE metric IN ('xxgk.reconsideration.corrected', 'xxgk.litigation.direct.corrected',
                                                'xxgk.litigation.after_reconsideration.corrected')) AS corrected,
           sum(CASE WHEN unit = '万元' THEN figure * 10000 ELSE figure END)
               FILTER (WHERE metric = 'xxgk.other.processing_fee')                       AS processing_fee_yuan,
           count(*)                                                                      AS n_cells
    FROM core.disclosure_cell
    GROUP BY ALL
)
SELECT f.*,
       round(disclosed_in_full / nullif(requests_handled, 0), 4)              AS share_disclosed,
       round(refused / nullif(requests_handled, 0), 4)                        AS share_refused,
       round(corrected / nullif(reconsiderations + suits, 0), 4)              AS share_corrected,
       r.layout, r.url, r.title
FROM f JOIN core.disclosure_report r USING (doc_id);
