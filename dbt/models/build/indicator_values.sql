{{ config(indexes=[{'columns': ['indicator', 'year', 'native_code']}]) }}
-- Every indicator's facts (the union of all indicator sources): its category, the fixed filters it names and NULL on
-- its other axes (the upstream total on them), any region. A NULL region is the whole country.
select
  i.key::text as indicator,
  f.year::integer as year,
  f.region_code::integer as region_code,
  rg.native_code::text as native_code,
  rg.native_name::text as region_name,
  (case when f.region_code is null then 'country'::text else rg.level end)::text as level,
  f.value::double precision as value,
  i.unit::text as unit,
  -- As the native build stores it: the timestamp as text in the session's TimeZone and DateStyle.
  f.ingested_at::text as updated_at
from {{ source('registry', 'indicators') }} i
join {{ source('registry', 'datasets') }} d on d.key = i.dataset
join {{ source('facts', 'fact_yearly') }} f
  on f.source_id = d.source_id and f.dim_code = d.dim_code and f.cat_code = i.cat_code
left join {{ source('registry', 'filters') }} rg on rg.id = f.region_code
where f.value is not null
  and f.fire_type_code is not distinct from i.fire_type_code
  and f.building_type_code is not distinct from i.building_type_code
  and f.building_age_code is not distinct from i.building_age_code
