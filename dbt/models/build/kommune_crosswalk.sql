{{ config(indexes=[{'columns': ['structure', 'code']}]) }}
-- Every kommune code in use since 2013 (with its years) → the kommune of each structure its area belongs to.
select
  structure::integer as structure,
  code::text as code,
  valid_from::integer as valid_from,
  valid_to::integer as valid_to,
  target::text as target
from {{ ref('seed_kommune_crosswalk') }}
