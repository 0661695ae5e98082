-- The mandated sections each document's text contains, read once per document version:
-- incremental, so a build re-reads only documents that are new or changed (at 100k reports
-- the texts are gigabytes). `rules` names the detection rules below: change them and bump
-- the variable, and every document is read again (a full refresh of this model).
{% set rules = 'v1' %}
{{ config(materialized='incremental', unique_key='doc_id', incremental_strategy='delete+insert',
          on_schema_change='fail',
          post_hook="DELETE FROM {{ this }} WHERE doc_id NOT IN (SELECT doc_id FROM {{ source('raw', 'documents') }})") }}
WITH t AS (
    SELECT d.doc_id, d.content_sha256, d.text,
           regexp_extract_all(d.text, '(?m)^\s*[一二三四五六七八九十]+\s*[、.．]\s*([^\n]+)', 1) AS headings
    FROM {{ source('raw', 'documents') }} d
    {% if is_incremental() %}
    WHERE NOT EXISTS (SELECT 1 FROM {{ this }} s
                      WHERE s.doc_id = d.doc_id AND s.content_sha256 = d.content_sha256 AND s.rules = '{{ rules }}')
    {% endif %}
)
SELECT doc_id, content_sha256, '{{ rules }}' AS rules, headings,
       -- 主要举措和成效: named, or any numbered section other than shortcomings / next steps
       regexp_matches(text, '(举|舉)措|成效')
         OR len(list_filter(headings, lambda h: NOT regexp_matches(h, '不足|问题|問題|下一步|打算'))) > 0
         AS has_measures_and_results,
       -- 存在的不足
       regexp_matches(text, '存在的?(主要)?(不足|问题|問題)|不足之[处處]|短板|薄弱环节|薄弱環節|困难和问题|困難和問題')
         AS has_shortcomings,
       -- 下一步工作
       regexp_matches(text, '下一步|(明年|来年|來年|[0-9]{4}年)(的)?(工作)?(打算|计划|計劃|安排|思路)') AS has_next_steps,
       -- 党政主要负责人履行推进法治建设第一责任人职责情况
       regexp_matches(text, '第一[责責]任人') AS has_first_responsible_duty
FROM t
