{#- The (source_id, report_year) partitions of core.agency_figure that changed since the
    last good build (see models/core/agency_figure.sql): its report is another document,
    its document was loaded or its facts replaced by a later run, or its agency's
    registered attributes changed. -#}
{% macro agency_figure_changed(this) %}
WITH new_runs AS (
    SELECT run_id FROM {{ source('raw', 'runs') }}
    WHERE loaded_at > (SELECT coalesce(max(built_at), TIMESTAMP '1900-01-01') FROM {{ source('raw', 'model_builds') }})
),
touched AS (
    SELECT doc_id FROM {{ source('raw', 'documents') }} WHERE run_id IN (FROM new_runs)
    UNION SELECT DISTINCT doc_id FROM {{ source('raw', 'facts') }} WHERE run_id IN (FROM new_runs)
    UNION SELECT DISTINCT doc_id FROM {{ source('raw', 'fact_versions') }} WHERE superseded_by_run IN (FROM new_runs)
),
cited AS (    -- the document each built partition rests on, and the attributes it was built with
    SELECT source_id, report_year, any_value(regexp_replace(fact_id, '-[0-9]+$', '')) AS doc_id,
           any_value({'agency': agency, 'province': province, 'province_code': province_code, 'city': city,
                      'county': county, 'level': level, 'sector': sector}) AS attrs
    FROM {{ this }} GROUP BY ALL
),
current AS (
    SELECT r.source_id, r.report_year, r.doc_id,
           {'agency': a.agency, 'province': a.province, 'province_code': a.province_code, 'city': a.city,
            'county': a.county, 'level': a.level, 'sector': a.sector} AS attrs
    FROM {{ ref('report') }} r JOIN {{ ref('dim_agency') }} a USING (source_id)
)
SELECT c.source_id, c.report_year
FROM cited c LEFT JOIN current n USING (source_id, report_year)
WHERE n.doc_id IS DISTINCT FROM c.doc_id OR n.attrs IS DISTINCT FROM c.attrs OR c.doc_id IN (FROM touched)
{% endmacro %}

{#- The province-years an incremental mart over core.agency_figure rebuilds: those of the
    changed partitions (core.agency_figure_changes), each shifted by every year in `shifts`
    (metric_yoy: a figure is also the previous value of the year after). -#}
{% macro changed_province_years(shifts=[0]) %}
SELECT DISTINCT c.province_code, c.report_year + s.shift AS report_year
FROM {{ ref('agency_figure_changes') }} c,
     (VALUES {% for s in shifts %}({{ s }}){{ ',' if not loop.last }}{% endfor %}) s(shift)
{% endmacro %}

{#- `alias` (a row of a mart or of core.agency_figure) lies in a changed province-year. -#}
{% macro in_changed_province_years(alias, shifts=[0]) %}
EXISTS (SELECT 1 FROM ({{ changed_province_years(shifts) }}) c
        WHERE c.province_code IS NOT DISTINCT FROM {{ alias }}.province_code AND c.report_year = {{ alias }}.report_year)
{% endmacro %}
