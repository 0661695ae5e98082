-- GB/T 2260 administrative divisions (the seed generated from etl/data/regions.tsv,
-- seed_region). status: c current, h historical (abolished/renamed), z functional zone.
SELECT code                                        AS region_code,
       name, short, level, status,
       nullif(parent, '')                          AS parent_code,
       substr(code, 1, 2) || '0000'                AS province_code,
       CASE WHEN level = 'county' AND substr(parent, 3, 4) <> '0000' THEN parent
            WHEN level = 'city' THEN code END      AS city_code
FROM {{ ref('seed_region') }}
