{# kommune_dim.seed_version as Kilde's BundledSeeds.kommuneDim() writes it: the seed's structures ascending, joined by
   '+', then '-' and the first 12 hex digits of sha256(kommune_dim.csv ‖ kommune_crosswalk.csv), e.g. 2020+2024-0d9c09a8cf92. #}
{% macro kommune_seed_version() -%}
  {%- set hash = var('kommune_seed_hash') -%}
  {%- if execute and (hash is none or not modules.re.fullmatch('[0-9a-f]{12}', hash | string)) -%}
    {{ exceptions.raise_compiler_error("kommune_seed_hash is not set: pass --vars \"{kommune_seed_hash: $(cat ../Sources/KildeCatalog/seeds/kommune_dim.csv ../Sources/KildeCatalog/seeds/kommune_crosswalk.csv | sha256sum | cut -c1-12)}\" (see dbt/README.md)") }}
  {%- endif -%}
  (coalesce((select string_agg(structure::text, '+' order by structure)
             from (select distinct structure from {{ ref('seed_kommune_dim') }}) s), '') || '-{{ hash }}')
{%- endmacro %}

{# Refuses to build into one of the schemas Kilde itself writes. #}
{% macro kilde_guard_schema() -%}
  {%- if target.schema | lower in ['marts', 'facts', 'registry', 'ingest'] -%}
    {{ exceptions.raise_compiler_error("target schema '" ~ target.schema ~ "' is one of Kilde's own; set KILDE_DBT_SCHEMA to another (default dbt_marts)") }}
  {%- endif -%}
  select 1
{%- endmacro %}
