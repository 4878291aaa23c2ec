{{ config(indexes=[{'columns': ['structure', 'kommune_nr'], 'unique': True}]) }}
-- Served only when no data test of severity error failed on any staging table (as the native build's swap): these
-- refs make every served table wait for all three staging tables' tests, so `dbt build` skips all three together.
-- depends_on: {{ ref('kommune_indicators_staging') }}, {{ ref('kommune_unmatched_staging') }}
select structure, kommune_nr, kommune_name, fylke_nr, fylke_name, population, lat, lon, seed_version
from {{ ref('kommune_dim_staging') }}
