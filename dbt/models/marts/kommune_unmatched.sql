{{ config(indexes=[{'columns': ['indicator', 'year']}]) }}
-- Served only when no data test of severity error failed on any staging table (see kommune_dim.sql).
-- depends_on: {{ ref('kommune_dim_staging') }}, {{ ref('kommune_indicators_staging') }}
select indicator, year, structure, native_code, region_name, level, reason, target, value
from {{ ref('kommune_unmatched_staging') }}
