-- Medians from the day histograms of the marts (mart_daftar_wait_hist, mart_case_close_hist,
-- mart_case_close_hist_all: one row per area × month × ... × days, days capped at days_cap()).

-- hist_median(days, n): an aggregate: the lower median of a histogram, i.e. the smallest `days`
-- whose cumulative count reaches half of the total count (= quantile_disc(days, 0.5) over the
-- entries the histogram counts). Use it in a GROUP BY over the histogram summed per day
-- (one row per group × days):
--     med AS (SELECT soato, hist_median(days, n) AS median_days_to_help FROM hist GROUP BY soato)
-- NULL for a group with no rows (e.g. a LEFT JOIN miss).
--
-- How: list the (count, day) bins in day order and walk them once (list_reduce), carrying the
-- running count and its day until the running count reaches half of sum(n).
--
-- Why a scalar aggregate macro (measured on a demo-scale warehouse, DuckDB 2.0, 2 threads, national
-- scope, 12 months, median of 25-40 runs; ratio to the same query with the hand-written window
-- `SUM(n) OVER (PARTITION BY key ORDER BY days)` + `MIN(days) FILTER (WHERE cum_n >= total_n / 2.0)`):
--   * this macro: faster with many groups (by area 0.81-0.93, monthly trends 0.89-0.98), even with a
--     few (kpis 0.99-1.01); +0.4-0.6 ms (1.05-1.08) with 3-8 long histograms (inson_services,
--     profiles), as list_reduce walks ~367 days one step at a time;
--   * a table macro over query_table(hist): DuckDB 2.0 does let a table macro read a CTE of the
--     calling query by name, generic in the key columns through struct_pack(*COLUMNS(* EXCLUDE
--     (days, n))); 1.01-1.08 everywhere (the window over a struct key), and each caller must
--     rename and join its output;
--   * this aggregate over the raw mart rows (no per-day sum first): the lists grow with the data,
--     2-100x slower (414 ms for the national median of 12 months). Sum per day first.
--   * packing each bin into one integer (n * 1000 + days) saves ~0.2 ms more on few groups but
--     returns another type than `days`; an include step in the runner (generated SQL) was not needed.
CREATE OR REPLACE MACRO hist_median(days, n) AS
    list_reduce(list({'s': n, 'd': days} ORDER BY days),
                lambda _run, _bin: CASE WHEN _run.s >= sum(n) / 2.0 THEN _run
                                        ELSE {'s': _run.s + _bin.s, 'd': _bin.d} END).d;

-- stored_median(level, districts, period_start, period_end): TRUE when the medians of the area
-- rows of `level` ('district' or 'region') for the period are stored at ingest
-- (mart_daftar_wait_median, mart_case_close_median): the period is a median_period() (a month,
-- 12 months, a year to date) and each row is a whole area (a district; a region when no
-- districts are selected). The bound parameters fold it to a constant, so a query reads either
-- the stored medians or the histogram, never both (tests/test_medians.py checks both agree).
CREATE OR REPLACE MACRO stored_median(level, districts, period_start, period_end) AS
    median_period(period_start, period_end) AND (level = 'district' OR len(districts) = 0);

-- stored_median_row(area_level, reg, dist, first_month, last_month, level, scope_region,
-- scope_district, region, districts, period_start, period_end): TRUE for a row of a stored-median
-- mart (its area_level, region_soato, district_soato, first_month, month) that answers an area row
-- of `level` in the viewer's scope and the selection for the period; always FALSE unless
-- stored_median(...) holds.
CREATE OR REPLACE MACRO stored_median_row(area_level, reg, dist, first_month, last_month, level,
                                          scope_region, scope_district, region, districts,
                                          period_start, period_end) AS
    stored_median(level, districts, period_start, period_end)
    AND area_level = level
    AND in_view(reg, dist, scope_region, scope_district, region, districts)
    AND first_month = period_start AND last_month = period_end;

-- daftar_wait_medians(level, scope_region, scope_district, region, districts, chosen_daftar,
-- period_start, period_end): soato, median_days_to_help of each area row of `level` in the
-- selection, read from mart_daftar_wait_median (chosen_daftar NULL: the '_all' rows, the four
-- together; '_all' itself chooses no daftar, as in_choice() has it).
CREATE OR REPLACE MACRO daftar_wait_medians(level, scope_region, scope_district, region, districts,
                                            chosen_daftar, period_start, period_end) AS TABLE
    SELECT soato, median_days_to_help
    FROM mart_daftar_wait_median
    WHERE stored_median_row(area_level, region_soato, district_soato, first_month, month, level,
                            scope_region, scope_district, region, districts, period_start, period_end)
      AND daftar = COALESCE(chosen_daftar, all_key()) AND chosen_daftar IS DISTINCT FROM all_key();

-- case_close_medians(level, scope_region, scope_district, region, districts, period_start,
-- period_end): soato, median_days_to_close of each area row of `level` in the selection, read
-- from mart_case_close_median.
CREATE OR REPLACE MACRO case_close_medians(level, scope_region, scope_district, region, districts,
                                           period_start, period_end) AS TABLE
    SELECT soato, median_days_to_close
    FROM mart_case_close_median
    WHERE stored_median_row(area_level, region_soato, district_soato, first_month, month, level,
                            scope_region, scope_district, region, districts, period_start, period_end);
