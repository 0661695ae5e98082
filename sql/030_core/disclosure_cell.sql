-- One row per cell of a loaded disclosure report. `figure` is what sums use: the value,
-- or 0 where the report left the cell empty or dashed (the format's 'none'); NULL where the
-- cell says something else or could not be placed (unaligned).
CREATE OR REPLACE TABLE core.disclosure_cell AS
SELECT c.doc_id, r.source_id, r.agency, r.province, r.province_code, r.level, r.report_year,
       c.metric, c.section, c.row_label, c.col_label, c.unit, c.value, c.raw, c.status,
       CASE WHEN c.status = 'number' THEN c.value
            WHEN c.status IN ('blank', 'dash') THEN 0 END AS figure,
       c.layout, c.tbl, c.row_no, c.col_no, c.match
FROM raw.disclosure_cells c
JOIN core.disclosure_report r USING (doc_id)
WHERE NOT c.held;
