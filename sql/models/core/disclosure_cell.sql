-- One row per cell of a loaded disclosure report, every cell the report's layout expects:
-- read, or unread with the reason in `note`. The published form is kept apart
-- (`published_as`: number / zero / blank / not_applicable / text / unaligned / unread) and
-- `figure` is what sums use, by the format's convention: the value; 0 for a cell left blank
-- or marked 不适用 (/ - —), the format's way of writing none (`figure_rule` says which);
-- NULL where the cell says something else or was not read. `flagged`: a failed check of the
-- report involves the cell and no review accepted the report (marts leave it out).
SELECT c.doc_id, r.source_id, r.agency, r.province, r.province_code, r.level, r.report_year,
       c.metric, c.section, c.row_label, c.col_label, c.unit, c.value, c.raw, c.status,
       CASE WHEN c.status = 'number' AND c.value = 0 THEN 'zero'
            WHEN c.status = 'number' THEN 'number'
            WHEN c.status = 'dash' THEN 'not_applicable'
            ELSE c.status END AS published_as,
       CASE WHEN c.status = 'number' THEN c.value
            WHEN c.status IN ('blank', 'dash') THEN 0 END AS figure,
       CASE WHEN c.status = 'number' THEN 'as published'
            WHEN c.status = 'blank' THEN 'blank counted as 0 (the format''s convention)'
            WHEN c.status = 'dash' THEN '不适用 counted as 0 (the format''s convention)' END AS figure_rule,
       coalesce(c.flagged, false) AND r.review_decision IS DISTINCT FROM 'accepted' AS flagged,
       c.note, c.layout, c.tbl, c.row_no, c.col_no, c.match
FROM {{ source('raw', 'disclosure_cells') }} c
JOIN {{ ref('disclosure_report') }} r USING (doc_id)
WHERE NOT coalesce(c.held, false)
