-- Grain: one row per daftar (temir, ayollar, yoshlar, nuroniylar; zeros when absent) plus one
--        row daftar = all_key() for the selected daftars together.
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start          DATE            first month of the period (inclusion months)
--   $end            DATE            last month of the period
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- The cohort: people included in the period. What became of them by the end of the data:
-- assessed and helped (stages: included >= assessed >= helped) and the end state of each
-- (helped, removed without help, still waiting: they add up to included). From
-- mart_daftar_cohort_dm.
-- Purpose (daftar_cohort): the daftar page's cohort funnel.
WITH c AS (
    SELECT COALESCE(daftar, all_key()) AS daftar,
           SUM(included) AS included, SUM(assessed) AS assessed, SUM(helped) AS helped,
           SUM(removed) AS removed, SUM(waiting) AS waiting
    FROM mart_daftar_cohort_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND in_choice(daftar, $daftar::VARCHAR)
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY GROUPING SETS ((daftar), ())
), keys AS (
    SELECT unnest(list_append(daftars(), all_key())) AS daftar
)
SELECT k.daftar, COALESCE(COLUMNS(c.* EXCLUDE (daftar)), 0)::BIGINT
FROM keys k LEFT JOIN c USING (daftar)
WHERE $daftar::VARCHAR IS NULL OR k.daftar IN ($daftar::VARCHAR, all_key())
ORDER BY daftar_order(k.daftar)
