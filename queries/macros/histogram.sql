-- Medians from the day histograms of the marts (mart_daftar_wait_hist, mart_case_close_hist,
-- mart_case_close_hist_all: one row per area × month × ... × days, days capped at days_cap()).

-- hist_median(days, n): an aggregate: the lower median of a histogram, i.e. the smallest `days`
-- whose cumulative count reaches half of the total count (= quantile_disc(days, 0.5) over the
-- entries the histogram counts). Use it in a GROUP BY over the histogram summed per day
-- (one row per group × days):
--     med AS (SELECT soato, hist_median(days, n) AS median_days_to_help FROM hist GROUP BY soato)
-- NULL for a group with no rows (e.g. a LEFT JOIN miss).
--
-- How: list the (count, days) pairs in day order and walk them once (list_reduce), carrying the
-- running count and its day until the running count reaches half of sum(n). Why a scalar
-- aggregate macro rather than the alternatives (measured on a demo-scale warehouse, DuckDB 2.0,
-- 2 threads, median of 25 runs, national scope, 12 months; ratio to the hand-written window
-- `SUM(n) OVER (PARTITION BY .. ORDER BY days)` + `MIN(days) FILTER (WHERE cum_n >= total_n/2.0)`):
--   * this macro: 0.85-1.07 (faster where there are many groups: by_area 0.85-0.93, trends
--     0.93-0.98; at most +7 % on the few-group kpis/services, within noise of 0.3-0.9 ms);
--   * a table macro over query_table(hist) (DuckDB 2.0 does let it read a CTE of the calling
--     query), generic in the key columns through struct_pack(*COLUMNS(* EXCLUDE (days, n))):
--     1.01-1.08 everywhere (the struct key costs the window), and the caller must rename and
--     join its output;
--   * the same aggregate over the raw mart rows (no per-day sum first): the lists grow with the
--     data: 2-100x slower (414 ms for the national median over 12 months). Sum per day first.
-- Generated SQL (an include step in the runner) was not needed: macros are as fast.
CREATE OR REPLACE MACRO hist_median(days, n) AS
    list_reduce(list({'s': n, 'd': days} ORDER BY days),
                lambda _run, _bin: CASE WHEN _run.s >= sum(n) / 2.0 THEN _run
                                        ELSE {'s': _run.s + _bin.s, 'd': _bin.d} END).d;
