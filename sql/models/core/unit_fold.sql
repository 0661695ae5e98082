-- Counters that mean the same thing for a metric are folded to one unit before comparing
-- (宗 is the written-register word for 件; 起 counts cases like 件 does). The list is domain
-- knowledge: etl/catalog.yaml `unit_folds`, loaded as the seed seed_unit_fold. Anything not
-- listed keeps its own unit (人 and 人次 differ). `metric` NULL = every metric; (unit, metric)
-- is unique (the fact table joins on it).
SELECT unit, folded_unit, NULLIF(metric, '') AS metric
FROM {{ ref('seed_unit_fold') }}
