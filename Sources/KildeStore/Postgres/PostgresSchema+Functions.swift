extension PostgresSchema {
    /// Server-side functions that answer a slice's change-detection questions in one round trip (SPEC §4).
    ///
    /// Key sets select an axis with `IS NULL` (the array argument is NULL) or `= ANY(ids)`; the selection is built
    /// as dynamic SQL so each call is planned with the conditions it really has and can use the natural-key index,
    /// whose leading columns are exactly a slice's selectors.
    static let probeFunctions: [String] = [
        // Sums compare like `ChangeGate.sumsEqual`: exactly, or within a relative 1e-9 for decimal values.
        """
        CREATE FUNCTION facts.kilde_sums_equal(a double precision, b double precision) RETURNS boolean
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN a = b OR abs(a - b) <= 1e-9 * greatest(abs(a), abs(b))
        """,
        // One axis of a key set: IS NULL, one id, or a list. A single id is spelled `= ($n)[1]`, not `= ANY ($n)`:
        // on a table without statistics yet (during a first load) the planner applies `= ANY` as a filter after
        // the index scan instead of as an index condition, and a probe then reads the whole dimension.
        """
        CREATE FUNCTION facts.kilde_axis_condition(p_column text, p_ids integer[], p_param integer) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN CASE WHEN p_ids IS NULL THEN format(' AND %I IS NULL', p_column)
                    WHEN cardinality(p_ids) = 1 THEN format(' AND %I = ($%s)[1]', p_column, p_param)
                    ELSE format(' AND %I = ANY ($%s)', p_column, p_param) END
        """,
        // The WHERE clause of a slice's key set; $1 source, $2 dimension, $3..$6 the axes, $7..$8 the year window.
        """
        CREATE FUNCTION facts.kilde_slice_condition(
          p_fire_type integer[], p_building_type integer[], p_building_age integer[], p_region integer[],
          p_period text, p_windowed boolean) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN 'source_id = $1 AND dim_code = $2'
          || facts.kilde_axis_condition('fire_type_code', p_fire_type, 3)
          || facts.kilde_axis_condition('building_type_code', p_building_type, 4)
          || facts.kilde_axis_condition('building_age_code', p_building_age, 5)
          || facts.kilde_axis_condition('region_code', p_region, 6)
          || CASE WHEN NOT p_windowed THEN ''
                  WHEN p_period = 'date' THEN ' AND date BETWEEN make_date($7, 1, 1) AND make_date($8, 12, 31)'
                  ELSE ' AND year BETWEEN $7 AND $8' END
        """,
        // The yearly probe: lands the slice's raw artifacts, sums the stored metric per year, decides like
        // `ChangeGate.decide(...) == .skip && rows > 0`, and when unchanged marks extraction_state and
        // source_totals exactly as the shared `markState` / `recordTotals` do. One statement, one transaction.
        """
        CREATE FUNCTION facts.kilde_probe_yearly(
          p_source_id integer, p_dim_code integer,
          p_fire_type integer[], p_building_type integer[], p_building_age integer[], p_region integer[],
          p_year_first integer, p_year_last integer, p_metric text,
          p_upstream_total double precision, p_upstream_years integer[], p_upstream_sums double precision[],
          p_slice_key text, p_dataset text, p_state_dim_code integer, p_state_metric text,
          p_period_start integer, p_period_end integer, p_run_id bigint, p_row_count bigint,
          p_fetched_at timestamptz, p_artifacts json)
        RETURNS TABLE (stored_years integer[], stored_sums double precision[], stored_rows bigint, marked_unchanged boolean)
        LANGUAGE plpgsql AS $fn$
        DECLARE
          v_years integer[];
          v_sums double precision[];
          v_rows bigint;
          v_total double precision;
          v_skip boolean;
        BEGIN
          IF p_metric NOT IN ('value', 'value_kr') THEN
            RAISE EXCEPTION 'unknown metric %', p_metric USING ERRCODE = 'invalid_parameter_value';
          END IF;
          INSERT INTO ingest.raw_artifacts (key, source_id, dataset, slice_key, url, method, content_type, bytes, sha256, fetched_at, run_id)
          SELECT a.key, p_source_id, p_dataset, p_slice_key, a.url, a.method, a.content_type, a.bytes, a.sha256, a.fetched_at, p_run_id
          FROM json_to_recordset(coalesce(p_artifacts, '[]')) AS a(key text, url text, method text, content_type text,
                                                                    bytes bigint, sha256 text, fetched_at timestamptz);
          EXECUTE format(
            'SELECT array_agg(y ORDER BY y), array_agg(s ORDER BY y), coalesce(sum(n), 0)::bigint
             FROM (SELECT year, coalesce(sum(%I), 0), count(*) FROM facts.fact_yearly WHERE %s GROUP BY year) t(y, s, n)',
            p_metric,
            facts.kilde_slice_condition(p_fire_type, p_building_type, p_building_age, p_region, 'year', p_year_first IS NOT NULL))
          INTO v_years, v_sums, v_rows
          USING p_source_id, p_dim_code, p_fire_type, p_building_type, p_building_age, p_region, p_year_first, p_year_last;

          v_total := coalesce((SELECT sum(s) FROM unnest(v_sums) AS s), 0);
          IF v_total = 0 AND NOT EXISTS (SELECT 1 FROM unnest(v_sums) AS s WHERE s <> 0) THEN
            -- Nothing stored: a first run writes everything, unless the upstream is empty too.
            v_skip := p_upstream_total = 0 AND coalesce(cardinality(p_upstream_years), 0) = 0;
          ELSE
            v_skip := (facts.kilde_sums_equal(p_upstream_total, v_total) AND coalesce(cardinality(p_upstream_years), 0) = 0)
              OR NOT EXISTS (
                SELECT 1 FROM unnest(p_upstream_years, p_upstream_sums) AS u(y, s)
                FULL JOIN unnest(v_years, v_sums) AS d(y, s) ON d.y = u.y
                WHERE NOT facts.kilde_sums_equal(coalesce(u.s, 0), coalesce(d.s, 0)));
          END IF;

          IF v_skip AND v_rows > 0 THEN
            INSERT INTO ingest.extraction_state AS e (slice_key, source_id, dataset, dim_code, metric, period_start, period_end,
              last_fetched_at, status, last_row_count, last_total_value, error_message, last_run_id)
            VALUES (p_slice_key, p_source_id, p_dataset, p_state_dim_code, p_state_metric, p_period_start, p_period_end,
              p_fetched_at, 'unchanged', p_row_count, p_upstream_total, NULL, p_run_id)
            ON CONFLICT (slice_key) DO UPDATE SET last_fetched_at = excluded.last_fetched_at, status = excluded.status,
              last_row_count = coalesce(excluded.last_row_count, e.last_row_count),
              last_total_value = coalesce(excluded.last_total_value, e.last_total_value),
              error_message = excluded.error_message, last_run_id = excluded.last_run_id;
            INSERT INTO ingest.source_totals AS t (slice_key, year, source_id, dataset, total, seen_at, run_id)
            SELECT p_slice_key, u.y, p_source_id, p_dataset, u.s, p_fetched_at, p_run_id
            FROM (SELECT 0, p_upstream_total UNION ALL SELECT * FROM unnest(p_upstream_years, p_upstream_sums)) AS u(y, s)
            ON CONFLICT (slice_key, year) DO UPDATE SET total = excluded.total, seen_at = excluded.seen_at, run_id = excluded.run_id;
          END IF;
          RETURN QUERY SELECT coalesce(v_years, '{}'), coalesce(v_sums, '{}'), v_rows, v_skip AND v_rows > 0;
        END
        $fn$
        """,
        // The daily gates' store side (tier 0 and tier 1): for one slice and window, the daily grand total,
        // per-year-month sums (YYYYMM), the daily row count, and the yearly table's per-year sums for the same keys.
        """
        CREATE FUNCTION facts.kilde_daily_totals(
          p_source_id integer, p_dim_code integer,
          p_fire_type integer[], p_building_type integer[], p_building_age integer[], p_region integer[],
          p_year_first integer, p_year_last integer, p_metric text)
        RETURNS TABLE (daily_total double precision, months integer[], month_sums double precision[], daily_rows bigint,
                       yearly_years integer[], yearly_sums double precision[])
        LANGUAGE plpgsql STABLE AS $fn$
        DECLARE
          v_windowed boolean := p_year_first IS NOT NULL;
        BEGIN
          IF p_metric NOT IN ('value', 'value_kr') THEN
            RAISE EXCEPTION 'unknown metric %', p_metric USING ERRCODE = 'invalid_parameter_value';
          END IF;
          EXECUTE format(
            'SELECT coalesce(sum(s), 0), coalesce(array_agg(m ORDER BY m), ''{}''), coalesce(array_agg(s ORDER BY m), ''{}''),
                    coalesce(sum(n), 0)::bigint
             FROM (SELECT (extract(year FROM date) * 100 + extract(month FROM date))::integer, coalesce(sum(%I), 0), count(*)
                   FROM facts.fact_daily WHERE %s GROUP BY 1) t(m, s, n)',
            p_metric, facts.kilde_slice_condition(p_fire_type, p_building_type, p_building_age, p_region, 'date', v_windowed))
          INTO daily_total, months, month_sums, daily_rows
          USING p_source_id, p_dim_code, p_fire_type, p_building_type, p_building_age, p_region, p_year_first, p_year_last;
          EXECUTE format(
            'SELECT coalesce(array_agg(y ORDER BY y), ''{}''), coalesce(array_agg(s ORDER BY y), ''{}'')
             FROM (SELECT year, coalesce(sum(%I), 0) FROM facts.fact_yearly WHERE %s GROUP BY year) t(y, s)',
            p_metric, facts.kilde_slice_condition(p_fire_type, p_building_type, p_building_age, p_region, 'year', v_windowed))
          INTO yearly_years, yearly_sums
          USING p_source_id, p_dim_code, p_fire_type, p_building_type, p_building_age, p_region, p_year_first, p_year_last;
          RETURN NEXT;
        END
        $fn$
        """,
    ]

    /// The daily gates' store side again, counting as daily rows only those that hold the metric: a `value_kr` pass
    /// after a `value` pass on the same keys is a cold start for its metric, not a drift on every year.
    static let dailyTotalsPerMetric = """
        CREATE OR REPLACE FUNCTION facts.kilde_daily_totals(
          p_source_id integer, p_dim_code integer,
          p_fire_type integer[], p_building_type integer[], p_building_age integer[], p_region integer[],
          p_year_first integer, p_year_last integer, p_metric text)
        RETURNS TABLE (daily_total double precision, months integer[], month_sums double precision[], daily_rows bigint,
                       yearly_years integer[], yearly_sums double precision[])
        LANGUAGE plpgsql STABLE AS $fn$
        DECLARE
          v_windowed boolean := p_year_first IS NOT NULL;
        BEGIN
          IF p_metric NOT IN ('value', 'value_kr') THEN
            RAISE EXCEPTION 'unknown metric %', p_metric USING ERRCODE = 'invalid_parameter_value';
          END IF;
          EXECUTE format(
            'SELECT coalesce(sum(s), 0), coalesce(array_agg(m ORDER BY m), ''{}''), coalesce(array_agg(s ORDER BY m), ''{}''),
                    coalesce(sum(n), 0)::bigint
             FROM (SELECT (extract(year FROM date) * 100 + extract(month FROM date))::integer, coalesce(sum(%1$I), 0), count(%1$I)
                   FROM facts.fact_daily WHERE %2$s GROUP BY 1) t(m, s, n)',
            p_metric, facts.kilde_slice_condition(p_fire_type, p_building_type, p_building_age, p_region, 'date', v_windowed))
          INTO daily_total, months, month_sums, daily_rows
          USING p_source_id, p_dim_code, p_fire_type, p_building_type, p_building_age, p_region, p_year_first, p_year_last;
          EXECUTE format(
            'SELECT coalesce(array_agg(y ORDER BY y), ''{}''), coalesce(array_agg(s ORDER BY y), ''{}'')
             FROM (SELECT year, coalesce(sum(%I), 0) FROM facts.fact_yearly WHERE %s GROUP BY year) t(y, s)',
            p_metric, facts.kilde_slice_condition(p_fire_type, p_building_type, p_building_age, p_region, 'year', v_windowed))
          INTO yearly_years, yearly_sums
          USING p_source_id, p_dim_code, p_fire_type, p_building_type, p_building_age, p_region, p_year_first, p_year_last;
          RETURN NEXT;
        END
        $fn$
        """
}
