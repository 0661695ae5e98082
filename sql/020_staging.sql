-- Staging layer: views that only clean and rename the raw tables.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE VIEW staging.stg_sources AS
SELECT source_id,
       trim(agency)                  AS agency,
       nullif(trim(province), '')    AS province,
       nullif(trim(province_code), '') AS province_code,
       nullif(trim(city), '')        AS city,
       nullif(trim(county), '')      AS county,
       nullif(level, '')             AS level
FROM raw.sources;

CREATE OR REPLACE VIEW staging.stg_documents AS
SELECT doc_id, source_id, url, title, fmt, pages,
       try_cast(nullif(pub_date, '') AS TIMESTAMP) AS published_at,
       report_year, script, content_sha256, extractor_version, loaded_at
FROM raw.documents;

CREATE OR REPLACE VIEW staging.stg_facts AS
SELECT fact_id, doc_id, seq, metric, category, value, unit, qualifier, subject, quote,
       start_pos, end_pos, sentence,
       part_of_seq IS NOT NULL            AS is_part,   -- a breakdown of a total
       qualifier IN ('more_than', 'at_least') AS is_lower_bound
FROM raw.facts;
