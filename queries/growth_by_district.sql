-- Grain: one row per district of the selected area (every district of ref_districts, zero when
-- nothing was paid): amount paid and recipient-months in the period [$start, $end] and in the
-- comparison period [$cmp_start, $cmp_end], and distinct households paid in the last month of each.
-- Scope: rows (district rows: only those of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all); $programme ('_all' = any programme, or one);
--   $start, $end, $cmp_start, $cmp_end (DATE, first days of months, inclusive).
SELECT d.district_soato, d.region_soato, d.name_uz, d.name_uz_cyrl, d.name_ru, d.name_en,
       r.name_uz AS region_name_uz, r.name_uz_cyrl AS region_name_uz_cyrl, r.name_ru AS region_name_ru,
       r.name_en AS region_name_en,
       COALESCE(COLUMNS(m.* EXCLUDE (region_soato, district_soato)), 0)::BIGINT
FROM ref_districts d
JOIN ref_regions r ON r.region_soato = d.region_soato
LEFT JOIN recipients_compared($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                              $districts::VARCHAR[], $programme::VARCHAR,
                              $start::DATE, $end::DATE, $cmp_start::DATE, $cmp_end::DATE) m
       ON m.district_soato = d.district_soato
WHERE in_scope(d.region_soato, d.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND in_area(d.region_soato, d.district_soato, $region::VARCHAR, $districts::VARCHAR[])
ORDER BY d.district_soato
