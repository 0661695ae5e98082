-- One row per registered agency: its level (province / city / county), its sector (from
-- the department's name) and its most specific GB/T 2260 region.
WITH sectors(pattern, sector) AS (VALUES
    ('司法', 'justice'), ('市场监督|市场监管', 'market_regulation'), ('生态环境|环境保护', 'environment'),
    ('应急管理|安全生产', 'emergency_management'), ('卫生健康|卫生和计划生育|卫健', 'health'),
    ('交通运输', 'transport'), ('城市管理|城管|综合执法', 'urban_management'),
    ('文化和旅游|文化广电|文旅', 'culture_tourism'), ('公安', 'public_security'),
    ('自然资源|国土', 'natural_resources'), ('住房和城乡建设|住建', 'housing_construction'),
    ('人力资源和社会保障|人社', 'human_resources'), ('农业农村|农业', 'agriculture'),
    ('水利|水务', 'water'), ('教育', 'education'), ('民政', 'civil_affairs'), ('财政', 'finance'),
    ('税务', 'tax'), ('商务', 'commerce'), ('发展和改革|发改', 'development_reform'),
    ('林业|草原', 'forestry'), ('医疗保障|医保', 'medical_insurance'), ('统计', 'statistics'),
    ('审计', 'audit'), ('退役军人', 'veterans'), ('人民政府|政府办公', 'government')
),
agency AS (SELECT * FROM {{ ref('stg_sources') }}),
sector AS (
    SELECT a.source_id, min_by(s.sector, strpos(a.agency, regexp_extract(a.agency, s.pattern))) AS sector
    FROM agency a JOIN sectors s ON regexp_matches(a.agency, s.pattern)
    GROUP BY a.source_id
),
region AS (   -- the county, else the city, else the province, matched by name inside the province
    SELECT a.source_id,
           coalesce(max(r.region_code) FILTER (WHERE r.level = 'county' AND r.name = a.county),
                    max(r.region_code) FILTER (WHERE r.level = 'city' AND r.name = a.city),
                    a.province_code) AS region_code
    FROM agency a LEFT JOIN {{ ref('dim_region') }} r
      ON r.province_code = a.province_code AND r.status <> 'h' AND r.name IN (a.city, a.county)
    GROUP BY a.source_id, a.province_code
)
SELECT a.source_id, a.agency, a.level, coalesce(s.sector, 'other') AS sector,
       a.province, a.province_code, a.city, a.county, g.region_code, a.listing_url
FROM agency a
LEFT JOIN sector s USING (source_id)
LEFT JOIN region g USING (source_id)
