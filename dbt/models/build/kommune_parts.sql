{{ config(indexes=[{'columns': ['indicator', 'year', 'code']}]) }}
-- The parts of each structure kommune in each indicator's year: the crosswalk's codes in use that year, with the value
-- each has (NULL when it has none) and whether it was split (its code has more than one target in the structure).
select
  iy.indicator::text as indicator,
  iy.year::integer as year,
  sy.structure::integer as structure,
  cw.target::text as target,
  cw.code::text as code,
  iv.region_name::text as region_name,
  iv.value::double precision as value,
  (case when (select count(*) from {{ ref('kommune_crosswalk') }} c2
              where c2.structure = cw.structure and c2.code = cw.code) > 1 then 1 else 0 end)::integer as split,
  iv.updated_at::text as updated_at
from (select distinct indicator, year from {{ ref('indicator_values') }}) iy
join {{ ref('structure_years') }} sy on sy.year = iy.year
join {{ ref('kommune_crosswalk') }} cw on cw.structure = sy.structure
  and (cw.valid_from is null or cw.valid_from <= iy.year) and (cw.valid_to is null or cw.valid_to >= iy.year)
left join {{ ref('indicator_values') }} iv
  on iv.indicator = iy.indicator and iv.year = iy.year and iv.native_code = cw.code and iv.level = 'municipality'
