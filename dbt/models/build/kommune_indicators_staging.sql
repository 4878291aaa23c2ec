-- kommune_indicators before its data tests. LEFT JOIN, never JOIN: a kommune missing from kommune_dim stays visible to
-- the relationships test instead of silently disappearing from the mart.
--
-- A structure kommune carries a value when every part has one, none was split, and there is one part or the
-- indicator is a count (merged kommuner are summed only for counts).
select
  t.indicator::text as indicator,
  t.target::text as kommune_nr,
  t.year::integer as year,
  t.structure::integer as structure,
  t.total::double precision as value,
  i.unit::text as unit,
  k.kommune_name, k.fylke_nr, k.fylke_name, k.population, k.lat, k.lon,
  t.updated_at::text as updated_at
from {{ ref('kommune_targets') }} t
join {{ source('registry', 'indicators') }} i on i.key = t.indicator
left join {{ ref('kommune_dim_staging') }} k on k.structure = t.structure and k.kommune_nr = t.target
where t.found = t.parts and t.split = 0 and (t.parts = 1 or i.unit = 'count')

union all

-- A kommune code with no crosswalk row in its year (a code the seed does not know, or a seed without structures) goes
-- in as it is, so the relationships test names it instead of the mart losing it.
select
  iv.indicator::text,
  iv.native_code::text,
  iv.year::integer,
  sy.structure::integer,
  iv.value::double precision,
  iv.unit::text,
  k.kommune_name, k.fylke_nr, k.fylke_name, k.population, k.lat, k.lon,
  iv.updated_at::text
from {{ ref('indicator_values') }} iv
left join {{ ref('structure_years') }} sy on sy.year = iv.year
left join {{ ref('kommune_dim_staging') }} k on k.structure = sy.structure and k.kommune_nr = iv.native_code
where iv.level = 'municipality'
  and not exists (select 1 from {{ ref('kommune_parts') }} p
                  where p.indicator = iv.indicator and p.year = iv.year and p.code = iv.native_code)
