{# Generic data tests matching the native mart build's (Sources/KildeStore/SQL/SQLDatabase+Marts.swift, martTests()).
   dbt_utils would have some of these, but `dbt deps` needs the network: the project has no packages. #}

{# Keys in more than one row: one failure per repeated key, as the native unique tests count them. #}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{# Rows whose key (every column in `columns`, compared with `=`) has no row in `to`: one failure per row, as the
   native relationships test counts them. A row is checked when its `not_null_column` is set; a NULL in another key
   column (a year with no structure) cannot match and fails, as natively. #}
{% test relationships_composite(model, to, columns, not_null_column) %}
select {% for c in columns %}s.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
from {{ model }} s
where s.{{ not_null_column }} is not null
  and not exists (
    select 1 from {{ to }} k
    where {% for c in columns %}k.{{ c }} = s.{{ c }}{% if not loop.last %} and {% endif %}{% endfor %})
{% endtest %}

{# Any row is a failure, one per group of `group_by` (the native unmatched_regions warning). #}
{% test no_rows(model, group_by) %}
select {{ group_by | join(', ') }}, count(*) as n
from {{ model }}
group by {{ group_by | join(', ') }}
{% endtest %}
