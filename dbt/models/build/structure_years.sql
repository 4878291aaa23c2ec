-- The kommune structure each year of the indicators is drawn in: the latest that took effect by then, else (for years
-- before every structure) the earliest, which older codes reach through the crosswalk
-- (native: KommuneSeed.structure(forYear:)). No row when the seed has no kommuner.
with structures as (
  select distinct structure from {{ ref('kommune_dim_staging') }}
), years as (
  select distinct year from {{ ref('indicator_values') }}
), picked as (
  select y.year,
    coalesce((select max(s.structure) from structures s where s.structure <= y.year),
             (select min(s.structure) from structures s)) as structure
  from years y
)
select year::integer as year, structure::integer as structure
from picked
where structure is not null
