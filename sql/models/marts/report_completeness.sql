-- Which of the mandated sections each report has (detected once per document version in
-- core.report_sections). Column documentation: schema.yml.
SELECT r.doc_id, r.source_id, r.agency, r.level, r.province, r.report_year, r.url, s.headings,
       s.has_measures_and_results, s.has_shortcomings, s.has_next_steps, s.has_first_responsible_duty,
       s.has_measures_and_results::INT + s.has_shortcomings::INT + s.has_next_steps::INT
         + s.has_first_responsible_duty::INT                            AS n_sections_present,
       list_filter(['主要举措和成效', '存在的不足', '下一步工作', '党政主要负责人履行推进法治建设第一责任人职责情况'],
                   lambda name, i: NOT [s.has_measures_and_results, s.has_shortcomings, s.has_next_steps,
                                        s.has_first_responsible_duty][i]) AS missing_sections
FROM {{ ref('report') }} r
JOIN {{ ref('report_sections') }} s USING (doc_id)
