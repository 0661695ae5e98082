-- Facts as loaded. `is_part`: a breakdown of a total stated in the same report
-- (其中…); `is_lower_bound`: written as "more than / at least" (余/多/以上/超过).
SELECT fact_id, doc_id, seq, metric, category, category_reason, value, unit, qualifier, subject, quote,
       start_pos, end_pos, sentence, extractor_version, run_id,
       part_of_seq IS NOT NULL                    AS is_part,
       qualifier IN ('more_than', 'at_least')     AS is_lower_bound
FROM {{ source('raw', 'facts') }}
