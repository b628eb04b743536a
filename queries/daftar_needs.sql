-- Grain: one row per need_type (all seven codes of data/contract.py NEED_TYPES, zeros
--        when absent).
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- included / assisted are flows over the period; on_register / waiting_90 / waiting_180
-- are stocks at the end of $end.
-- Purpose (daftar_needs): daftar figures by the main need recorded at inclusion.
WITH needs AS (
    SELECT need_type FROM (VALUES ('employment'), ('entrepreneurship'), ('health'), ('housing'),
                                  ('education'), ('rent'), ('other')) v(need_type)
), agg AS (
    SELECT need_type,
           SUM(included) FILTER (WHERE month >= $start::DATE) AS included,
           SUM(assisted) FILTER (WHERE month >= $start::DATE) AS assisted,
           SUM(open_end) FILTER (WHERE month = $end::DATE) AS on_register,
           SUM(waiting_90) FILTER (WHERE month = $end::DATE) AS waiting_90,
           SUM(waiting_180) FILTER (WHERE month = $end::DATE) AS waiting_180
    FROM mart_daftar_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND in_choice(daftar, $daftar::VARCHAR)
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY need_type
)
SELECT n.need_type, COALESCE(COLUMNS(a.* EXCLUDE (need_type)), 0)::BIGINT
FROM needs n LEFT JOIN agg a USING (need_type)
ORDER BY on_register DESC, need_type
