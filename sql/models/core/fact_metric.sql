-- One row per loaded fact of a current report, with everything needed to trace it:
-- document URL, quote, offsets into raw.documents.text, extractor version. A view: at
-- millions of facts a denormalised copy costs more to rebuild on every load than the
-- joins cost the few queries that read every fact (core.agency_figure, the one table
-- built from it, reads it once per load).
--
-- Comparison keys added here:
--   kind         'rate' for percentages (the percent units of etl/catalog.yaml: %, 个百分点,
--                百分点), else 'count'
--   measure      what exactly is compared: the metric for counts; for rates the rate's own
--                name (办复率, 按时办结率: the catalog's rates_pct holds many different rates,
--                which must never be averaged together); for a year-on-year change the
--                metric's change ('同比') or the changed quantity's wording
--   unit_cmp     the unit after core.unit_fold (件/宗 are one)
--   value_cmp    the value, negative for a decrease (同比下降8.5% -> -8.5)
-- `subject_hans` is the subject in Simplified characters (the Python model core.subject_hans),
-- so 辦結率 and 办结率 are one measure.
{{ config(materialized='view') }}
WITH f AS (
    SELECT f.*, coalesce(h.subject_hans, f.subject, '') AS subject_hans,
           f.unit IN ('%', '个百分点', '百分点') AS rate   -- etl/catalog.yaml unit_kinds.percent (tested)
    FROM {{ ref('stg_facts') }} f
    LEFT JOIN {{ ref('subject_hans') }} h USING (subject)
),
keyed AS (   -- the wording only matters for rates: counts skip the regexes
    SELECT f.*,
           f.rate AND regexp_matches(subject_hans, '(同比|较上年|比上年|较去年|比去年)') AS is_change,
           f.rate AND regexp_matches(subject_hans, '(下降|减少|降低|缩减|回落)$')     AS is_decrease
    FROM f
)
SELECT f.fact_id,
       f.doc_id            AS document,
       r.title             AS document_title,
       r.url               AS document_url,
       r.source_id,
       r.agency, r.province, r.province_code, r.city, r.county, r.level, r.sector,
       r.report_year,
       f.metric, f.category, f.category_reason, f.value, f.unit, f.qualifier,
       f.is_part, f.is_lower_bound,
       f.subject, f.quote, f.sentence,
       f.start_pos, f.end_pos,   -- 0-based, end exclusive: substring(text, start_pos + 1, end_pos - start_pos)
       f.extractor_version,
       CASE WHEN f.rate THEN 'rate' ELSE 'count' END AS kind,
       CASE WHEN NOT f.rate THEN f.metric
            WHEN f.is_change AND f.metric <> 'change_pct' THEN f.metric || ' 同比'
            WHEN f.is_change THEN regexp_replace(f.subject_hans, '(同比|较上年|比上年|较去年|比去年).*$', '') || ' 同比'
            ELSE f.subject_hans END AS measure,
       coalesce(um.folded_unit, ua.folded_unit, f.unit) AS unit_cmp,   -- a metric's own fold first
       CASE WHEN f.rate AND f.is_change AND f.is_decrease THEN -f.value ELSE f.value END AS value_cmp,
       f.run_id
FROM keyed f
JOIN {{ ref('report') }} r USING (doc_id)
LEFT JOIN {{ ref('unit_fold') }} um ON um.unit = f.unit AND um.metric = f.metric
LEFT JOIN {{ ref('unit_fold') }} ua ON ua.unit = f.unit AND ua.metric IS NULL
