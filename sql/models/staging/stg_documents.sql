-- Documents as loaded, with the publication date typed (NULL when the page gave none).
SELECT doc_id, source_id, url, title, fmt, pages,
       try_cast(nullif(pub_date, '') AS TIMESTAMP) AS published_at,
       report_year, script, content_sha256, extractor_version, run_id, loaded_at,
       coalesce(report_kind, 'rule_of_law') AS report_kind,
       nullif(agency, '') AS written_by,            -- the agency the text names as its writer
       nullif(portal_agency, '') AS portal_agency,  -- the owner of the column it was listed in
       nullif(province, '') AS written_province, nullif(province_code, '') AS written_province_code,
       nullif(city, '') AS written_city, nullif(county, '') AS written_county,
       nullif(level, '') AS written_level, nullif(region_code, '') AS written_region_code,
       writer_source, decision_reason
FROM {{ source('raw', 'documents') }}
