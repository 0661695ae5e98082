-- The sources registry as loaded: one row per agency's report column.
SELECT source_id,
       trim(agency)                     AS agency,
       nullif(trim(province), '')       AS province,
       nullif(trim(province_code), '')  AS province_code,
       nullif(trim(city), '')           AS city,
       nullif(trim(county), '')         AS county,
       nullif(level, '')                AS level,
       listing_url
FROM {{ source('raw', 'sources') }}
