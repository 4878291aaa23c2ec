{{ config(indexes=[{'columns': ['indicator', 'year', 'target']}]) }}
-- Per indicator, year and structure kommune: how many codes it was made of that year, how many had a value, their
-- sum, and whether one of them was split.
select
  indicator, year, structure, target,
  count(*)::integer as parts,
  count(value)::integer as found,
  sum(value)::double precision as total,
  max(split)::integer as split,
  max(updated_at)::text as updated_at
from {{ ref('kommune_parts') }}
group by indicator, year, structure, target
