-- Every fact with where it comes from: document URL, quote, offsets into the published
-- text, extractor version, and whether the quote is still found at its offsets.
-- A view: computed only when an analyst asks. Column documentation: schema.yml.
{{ config(materialized='view') }}
SELECT f.fact_id, f.source_id, f.agency, f.level, f.province, f.report_year,
       f.metric, f.measure, f.value, f.unit, f.qualifier, f.is_part,
       f.quote, f.sentence, f.start_pos, f.end_pos,
       substring(d.text, f.start_pos + 1, f.end_pos - f.start_pos) = f.quote AS quote_at_offsets,
       f.document, f.document_title, f.document_url, d.fmt AS document_format,
       f.extractor_version, f.run_id
FROM {{ ref('fact_metric') }} f
JOIN {{ source('raw', 'documents') }} d ON d.doc_id = f.document
