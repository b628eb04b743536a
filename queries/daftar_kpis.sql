-- Grain: one row per daftar (temir, ayollar, yoshlar, nuroniylar) plus one row
--        daftar = '_all' for the selected daftars together.
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $month_from     DATE            first month of the period (first day of month)
--   $month_to       DATE            last month of the period (first day of month)
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- Stocks (on_register, waiting_*) are taken at the end of $month_to; open_start at the
-- end of the month before $month_from; flows (included ... removed) are summed over the
-- period. median_days_to_help is the lower median of days from inclusion to help for
-- people helped in the period, read from the cumulative histogram (days capped at 366).
-- target_population is the denominator of "reach per 1,000": women (ayollar), youth
-- (yoshlar), elderly (nuroniylar), residents (temir and all) of the latest population year
-- not after $month_to; target_population_k = the same in thousands (so that
-- assisted / target_population_k reads 'per 1,000').
-- Purpose (daftar_kpis): headline figures of the daftar registers for a scope and period.
WITH d AS (
    SELECT *
    FROM mart_daftar_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR)
), flows AS (
    SELECT COALESCE(daftar, '_all') AS daftar,
           SUM(included) AS included, SUM(assessed) AS assessed,
           SUM(assisted) AS assisted, SUM(removed) AS removed,
           SUM(days_to_help_sum) AS days_to_help_sum
    FROM d
    WHERE month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY GROUPING SETS ((daftar), ())
), stock_end AS (
    SELECT COALESCE(daftar, '_all') AS daftar,
           SUM(open_end) AS on_register, SUM(waiting_90) AS waiting_90,
           SUM(waiting_180) AS waiting_180
    FROM d
    WHERE month = $month_to::DATE
    GROUP BY GROUPING SETS ((daftar), ())
), stock_start AS (
    SELECT COALESCE(daftar, '_all') AS daftar, SUM(open_end) AS open_start
    FROM d
    WHERE month = ($month_from::DATE - INTERVAL 1 MONTH)::DATE
    GROUP BY GROUPING SETS ((daftar), ())
), hist AS (
    SELECT COALESCE(daftar, '_all') AS daftar, days, SUM(entries) AS n
    FROM mart_daftar_wait_hist
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR)
      AND month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY GROUPING SETS ((daftar, days), (days))
), cum AS (
    SELECT daftar, days,
           SUM(n) OVER (PARTITION BY daftar ORDER BY days) AS cum_n,
           SUM(n) OVER (PARTITION BY daftar) AS total_n
    FROM hist
), med AS (
    SELECT daftar, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_help
    FROM cum GROUP BY daftar
), pop AS (
    SELECT SUM(residents) AS residents, SUM(women) AS women,
           SUM(youth) AS youth, SUM(elderly) AS elderly
    FROM mart_population_y
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND year = (SELECT COALESCE(MAX(year) FILTER (WHERE year <= year($month_to::DATE)), MAX(year))
                  FROM mart_population_y)
), keys AS (
    SELECT daftar FROM (VALUES ('temir'), ('ayollar'), ('yoshlar'), ('nuroniylar'), ('_all')) v(daftar)
    WHERE $daftar::VARCHAR IS NULL OR daftar IN ($daftar::VARCHAR, '_all')
)
SELECT k.daftar,
       COALESCE(s0.open_start, 0)::BIGINT AS open_start,
       COALESCE(f.included, 0)::BIGINT AS included,
       COALESCE(f.assessed, 0)::BIGINT AS assessed,
       COALESCE(f.assisted, 0)::BIGINT AS assisted,
       COALESCE(f.removed, 0)::BIGINT AS removed,
       COALESCE(s1.on_register, 0)::BIGINT AS on_register,
       COALESCE(s1.waiting_90, 0)::BIGINT AS waiting_90,
       COALESCE(s1.waiting_180, 0)::BIGINT AS waiting_180,
       COALESCE(f.days_to_help_sum, 0)::BIGINT AS days_to_help_sum,
       m.median_days_to_help,
       (COALESCE(s0.open_start, 0) + COALESCE(f.included, 0))::BIGINT AS on_register_in_period,
       CASE CASE WHEN k.daftar = '_all' THEN COALESCE($daftar::VARCHAR, '_all') ELSE k.daftar END
           WHEN 'ayollar' THEN p.women WHEN 'yoshlar' THEN p.youth
           WHEN 'nuroniylar' THEN p.elderly ELSE p.residents END::BIGINT AS target_population,
       CASE CASE WHEN k.daftar = '_all' THEN COALESCE($daftar::VARCHAR, '_all') ELSE k.daftar END
           WHEN 'ayollar' THEN p.women WHEN 'yoshlar' THEN p.youth
           WHEN 'nuroniylar' THEN p.elderly ELSE p.residents END / 1000.0 AS target_population_k
FROM keys k
LEFT JOIN flows f USING (daftar)
LEFT JOIN stock_end s1 USING (daftar)
LEFT JOIN stock_start s0 USING (daftar)
LEFT JOIN med m USING (daftar)
CROSS JOIN pop p
ORDER BY CASE k.daftar WHEN 'temir' THEN 1 WHEN 'ayollar' THEN 2 WHEN 'yoshlar' THEN 3
                       WHEN 'nuroniylar' THEN 4 ELSE 5 END
