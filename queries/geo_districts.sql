-- Grain: one row per district/city with a SOATO code that the viewer may see (ref_districts).
-- Scope: rows (district rows: only those of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope; NULL = not restricted).
SELECT d.district_soato, d.region_soato, d.kind, d.name_uz, d.name_uz_cyrl, d.name_ru, d.name_en
FROM ref_districts d
WHERE in_scope(d.region_soato, d.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
ORDER BY d.district_soato
