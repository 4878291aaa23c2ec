{{ config(indexes=[{'columns': ['indicator', 'year', 'kommune_nr'], 'unique': True}, {'columns': ['kommune_nr']}]) }}
-- Served only when no data test of severity error failed on any staging table (see kommune_dim.sql).
-- depends_on: {{ ref('kommune_dim_staging') }}, {{ ref('kommune_unmatched_staging') }}
select indicator, kommune_nr, year, structure, value, unit, kommune_name, fylke_nr, fylke_name, population, lat, lon, updated_at
from {{ ref('kommune_indicators_staging') }}
