-- Grain: one row per district of the selected area at one month (stocks of mart_coverage_dm).
-- Scope: rows (district rows: only those of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all of the area); $programme ('_targeted' = either targeted programme, '_all' = any, or one targeted programme);
--   $month (DATE, first day of the month).
SELECT c.district_soato, c.region_soato,
       d.name_uz, d.name_uz_cyrl, d.name_ru, d.name_en,
       r.name_uz AS region_name_uz, r.name_uz_cyrl AS region_name_uz_cyrl, r.name_ru AS region_name_ru,
       r.name_en AS region_name_en,
       c.eligible_households, c.assisted_households, c.assisted_eligible,
       c.assisted_not_eligible, c.exclusion_gap, c.poor_households_est
FROM mart_coverage_dm c
JOIN ref_districts d USING (district_soato)
JOIN ref_regions r ON r.region_soato = c.region_soato
WHERE in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND in_area(c.region_soato, c.district_soato, $region::VARCHAR, $districts::VARCHAR[])
  AND c.programme = $programme::VARCHAR
  AND c.month = $month::DATE
ORDER BY c.district_soato
