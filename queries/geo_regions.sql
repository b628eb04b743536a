-- Grain: one row per region the viewer may see (ref_regions).
-- Scope: regions (region rows: every region for a national or region viewer, its own for a district viewer).
-- Parameters: $scope_region, $scope_district (viewer's scope; NULL = not restricted).
SELECT r.region_soato, r.name_uz, r.name_uz_cyrl, r.name_ru, r.name_en
FROM ref_regions r
WHERE in_region_scope(r.region_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
ORDER BY r.region_soato
