-- The sources registry as loaded: one row per agency's report column.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE VIEW staging.stg_sources AS
SELECT source_id,
       trim(agency)                     AS agency,
       nullif(trim(province), '')       AS province,
       nullif(trim(province_code), '')  AS province_code,
       nullif(trim(city), '')           AS city,
       nullif(trim(county), '')         AS county,
       nullif(level, '')                AS level,
       listing_url
FROM raw.sources;
