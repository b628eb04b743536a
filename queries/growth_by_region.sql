-- Grain: one row per region the viewer may see: amount paid and recipient-months in the period
-- [$start, $end] and the comparison period [$cmp_start, $cmp_end], and distinct households paid
-- in the last month of each (mart_recipients_dm summed over the region's districts).
-- Scope: regions (region rows: every region for a national or region viewer, its own for a district viewer).
-- Parameters: $scope_region, $scope_district (viewer's scope); $programme ('_all' or one);
--   $start, $end, $cmp_start, $cmp_end (DATE, first days of months, inclusive).
WITH m AS (
    SELECT region_soato, SUM(COLUMNS(* EXCLUDE (region_soato, district_soato)))
    FROM recipients_compared($scope_region::VARCHAR, $scope_district::VARCHAR, NULL::VARCHAR,
                             []::VARCHAR[], $programme::VARCHAR,
                             $start::DATE, $end::DATE, $cmp_start::DATE, $cmp_end::DATE)
    GROUP BY region_soato
)
SELECT r.region_soato, r.name_uz, r.name_uz_cyrl, r.name_ru, r.name_en,
       COALESCE(COLUMNS(m.* EXCLUDE (region_soato)), 0)::BIGINT
FROM ref_regions r
LEFT JOIN m ON m.region_soato = r.region_soato
WHERE in_region_scope(r.region_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
ORDER BY r.region_soato
