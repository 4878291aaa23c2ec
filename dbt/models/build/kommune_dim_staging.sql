-- The kommune seed with its version (native: the seed → kommune_dim_staging). Unkeyed like the native staging table:
-- a kommune listed twice reaches the unique_kommune_dim test instead of failing the build.
select
  structure::integer as structure,
  kommune_nr::text as kommune_nr,
  kommune_name::text as kommune_name,
  fylke_nr::text as fylke_nr,
  fylke_name::text as fylke_name,
  population::integer as population,
  lat::double precision as lat,
  lon::double precision as lon,
  {{ kommune_seed_version() }}::text as seed_version
from {{ ref('seed_kommune_dim') }}
