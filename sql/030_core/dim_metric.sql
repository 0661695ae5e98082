-- One row per catalog metric (etl catalog, registered by the build as `src_metric`):
-- Chinese name, definition, category, accepted units and plausible range.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.dim_metric AS
SELECT metric, name_zh, definition, category, units, min_value, max_value,
       list_contains(units, '%')                   AS is_rate
FROM src_metric;
