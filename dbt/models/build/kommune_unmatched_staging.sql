-- Values of an indicator the mart does not draw on a kommune, and why (reported by the unmatched_regions warning,
-- listed by the map, never silently dropped).

-- Regions that are not kommuner, by their level (none: outside the kommune division).
select
  iv.indicator::text as indicator,
  iv.year::integer as year,
  sy.structure::integer as structure,
  iv.native_code::text as native_code,
  iv.region_name::text as region_name,
  iv.level::text as level,
  coalesce(iv.level, 'not_a_kommune')::text as reason,
  null::text as target,
  iv.value::double precision as value
from {{ ref('indicator_values') }} iv
left join {{ ref('structure_years') }} sy on sy.year = iv.year
where iv.level is null or iv.level <> 'municipality'

union all

-- Kommune values that were not carried to their structure kommune (the negation of kommune_indicators_staging's rule).
select
  p.indicator::text,
  p.year::integer,
  p.structure::integer,
  p.code::text,
  p.region_name::text,
  'municipality'::text,
  (case when t.split > 0 then 'split' when t.found < t.parts then 'merger_incomplete'
        else 'merged_not_summable' end)::text,
  p.target::text,
  p.value::double precision
from {{ ref('kommune_parts') }} p
join {{ ref('kommune_targets') }} t on t.indicator = p.indicator and t.year = p.year and t.target = p.target
join {{ source('registry', 'indicators') }} i on i.key = p.indicator
where p.value is not null
  and not (t.found = t.parts and t.split = 0 and (t.parts = 1 or i.unit = 'count'))
