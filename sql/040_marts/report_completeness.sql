-- Which of the mandated sections each report has. Column documentation:
-- report_completeness.md.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.report_completeness AS
WITH t AS (
    SELECT r.doc_id, r.source_id, r.agency, r.level, r.province, r.report_year, r.url, d.text,
           regexp_extract_all(d.text, '(?m)^\s*[一二三四五六七八九十]+\s*[、.．]\s*([^\n]+)', 1) AS headings
    FROM core.report r JOIN raw.documents d USING (doc_id)
),
s AS (
    SELECT *,
           regexp_matches(text, '(举|舉)措|成效')
             OR len(list_filter(headings, lambda h: NOT regexp_matches(h, '不足|问题|問題|下一步|打算'))) > 0
             AS has_measures_and_results,
           regexp_matches(text, '存在的?(主要)?(不足|问题|問題)|不足之[处處]|短板|薄弱环节|薄弱環節|困难和问题|困難和問題')
             AS has_shortcomings,
           regexp_matches(text, '下一步|(明年|来年|來年|[0-9]{4}年)(的)?(工作)?(打算|计划|計劃|安排|思路)')
             AS has_next_steps,
           regexp_matches(text, '第一[责責]任人')
             AS has_first_responsible_duty
    FROM t
)
SELECT doc_id, source_id, agency, level, province, report_year, url, headings,
       has_measures_and_results, has_shortcomings, has_next_steps, has_first_responsible_duty,
       has_measures_and_results::INT + has_shortcomings::INT + has_next_steps::INT
         + has_first_responsible_duty::INT                              AS n_sections_present,
       list_filter(['主要举措和成效', '存在的不足', '下一步工作', '党政主要负责人履行推进法治建设第一责任人职责情况'],
                   lambda name, i: NOT [has_measures_and_results, has_shortcomings, has_next_steps,
                                     has_first_responsible_duty][i])   AS missing_sections
FROM s;
