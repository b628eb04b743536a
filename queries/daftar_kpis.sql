-- Grain: one row per daftar (temir, ayollar, yoshlar, nuroniylar) plus one row
--        daftar = '_all' for the selected daftars together.
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period (first day of month)
--   $end       DATE            last month of the period (first day of month)
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- Stocks (on_register, waiting_*) are taken at the end of $end; open_start at the
-- end of the month before $start; flows (included ... removed) are summed over the
-- period. median_days_to_help is the lower median of days from inclusion to help for
-- people helped in the period, read from the cumulative histogram (days capped at 366).
-- target_population is the denominator of "reach per 1,000": women (ayollar), youth
-- (yoshlar), elderly (nuroniylar), residents (temir and all) of the latest population year
-- not after $end; target_population_k = the same in thousands (so that
-- assisted / target_population_k reads 'per 1,000').
-- Purpose (daftar_kpis): headline figures of the daftar registers for a scope and period.
WITH counts AS (
    SELECT COALESCE(daftar, all_key()) AS daftar,
           SUM(COLUMNS(* EXCLUDE (region_soato, district_soato, daftar)))
    FROM daftar_counts($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                       $districts::VARCHAR[], $daftar::VARCHAR, $start::DATE, $end::DATE)
    GROUP BY GROUPING SETS ((daftar), ())
), hist AS (
    SELECT COALESCE(daftar, all_key()) AS daftar, days, SUM(entries) AS n
    FROM daftar_waits($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                      $districts::VARCHAR[], $daftar::VARCHAR, $start::DATE, $end::DATE)
    GROUP BY GROUPING SETS ((daftar, days), (days))
), med AS (
    SELECT daftar, hist_median(days, n) AS median_days_to_help FROM hist GROUP BY daftar
), pop AS (
    SELECT SUM(residents) AS residents, SUM(women) AS women,
           SUM(youth) AS youth, SUM(elderly) AS elderly
    FROM mart_population_y
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND year = population_year($end::DATE)
), keys AS (
    -- each daftar row is read against its daftar's population, the '_all' row against the
    -- selected daftar's (residents when all are selected)
    SELECT daftar, CASE WHEN daftar = all_key() THEN $daftar::VARCHAR ELSE daftar END AS served
    FROM unnest(list_append(daftars(), all_key())) AS k(daftar)
    WHERE in_choice(daftar, $daftar::VARCHAR) OR daftar = all_key()
)
SELECT k.daftar,
       COALESCE(COLUMNS(c.* EXCLUDE (daftar)), 0)::BIGINT,
       m.median_days_to_help,
       (COALESCE(c.open_start, 0) + COALESCE(c.included, 0))::BIGINT AS on_register_in_period,
       daftar_population(k.served, p.residents, p.women, p.youth, p.elderly)::BIGINT AS target_population,
       daftar_population(k.served, p.residents, p.women, p.youth, p.elderly) / 1000.0 AS target_population_k
FROM keys k
LEFT JOIN counts c USING (daftar)
LEFT JOIN med m USING (daftar)
CROSS JOIN pop p
ORDER BY daftar_order(k.daftar)
