{#- The layer folders are the warehouse's schemas as they are (staging, core, marts), not
    dbt's default `<target schema>_<custom schema>`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}

{#- References without the database name: a view's SQL then reads the same tables in the
    published snapshot (another file name, so another catalog name) and in views.sql. -#}
{% macro ref() -%}
    {% do return(builtins.ref(*varargs, **kwargs).include(database=False)) %}
{%- endmacro %}

{% macro source() -%}
    {% do return(builtins.source(*varargs, **kwargs).include(database=False)) %}
{%- endmacro %}
