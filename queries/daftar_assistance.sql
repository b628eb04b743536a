-- Grain: one row per assistance_type (all eight codes of data/contract.py
--        ASSISTANCE_TYPES, zeros when absent).
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period (month help was given)
--   $end       DATE            last month of the period
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- assisted = people helped in the period; amount_uzs = money given (so'm);
-- days_to_help_sum = total days from inclusion to help (for the mean).
-- Purpose (daftar_assistance): help given from the daftars, by type of assistance.
WITH types AS (
    SELECT assistance_type FROM (VALUES ('employment'), ('entrepreneurship'), ('health'),
        ('housing'), ('education'), ('rent_subsidy'), ('material'), ('other')) v(assistance_type)
), agg AS (
    SELECT assistance_type, SUM(assisted) AS assisted, SUM(amount_uzs) AS amount_uzs,
           SUM(days_to_help_sum) AS days_to_help_sum
    FROM mart_daftar_help_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND in_choice(daftar, $daftar::VARCHAR)
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY assistance_type
)
SELECT t.assistance_type, COALESCE(COLUMNS(a.* EXCLUDE (assistance_type)), 0)::BIGINT
FROM types t LEFT JOIN agg a USING (assistance_type)
ORDER BY assisted DESC, assistance_type
