-- One row per catalog metric (the seed generated from the extractor's catalog):
-- Chinese name, definition, category, accepted units and plausible range.
SELECT metric, name_zh, definition, category,
       CASE WHEN coalesce(units, '') = '' THEN []::VARCHAR[] ELSE string_split(units, '|') END AS units,
       min_value, max_value,
       list_contains(string_split(coalesce(units, ''), '|'), '%')    AS is_rate
FROM {{ ref('seed_metric') }}
