-- GB/T 2260 administrative divisions (etl/data/regions.tsv, registered by the build as
-- `src_region`). status: c current, h historical (abolished/renamed), z functional zone.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.dim_region AS
SELECT code                                        AS region_code,
       name, short, level, status,
       nullif(parent, '')                          AS parent_code,
       substr(code, 1, 2) || '0000'                AS province_code,
       CASE WHEN level = 'county' AND substr(parent, 3, 4) <> '0000' THEN parent
            WHEN level = 'city' THEN code END      AS city_code
FROM src_region;
