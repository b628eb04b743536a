-- Grain: one row per region the viewer may see: amount paid and recipient-months in the period
-- [$start, $end] and the comparison period [$cmp_start, $cmp_end], and distinct households paid
-- in the last month of each (mart_recipients_dm summed over the region's districts).
-- Parameters: $scope_region, $scope_district (viewer's scope); $programme ('_all' or one);
--   $start, $end, $cmp_start, $cmp_end (DATE, first days of months, inclusive).
WITH m AS (
    SELECT region_soato, month, amount_uzs, households
    FROM mart_recipients_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND programme = $programme::VARCHAR
      AND (month BETWEEN $start::DATE AND $end::DATE OR month BETWEEN $cmp_start::DATE AND $cmp_end::DATE)
)
SELECT r.region_soato, r.name_uz, r.name_ru, r.name_en,
       coalesce(sum(m.amount_uzs) FILTER (WHERE m.month BETWEEN $start::DATE AND $end::DATE), 0)::BIGINT AS amount_uzs,
       coalesce(sum(m.households) FILTER (WHERE m.month BETWEEN $start::DATE AND $end::DATE), 0)::BIGINT AS recipient_months,
       coalesce(sum(m.households) FILTER (WHERE m.month = $end::DATE), 0)::BIGINT AS households,
       coalesce(sum(m.amount_uzs) FILTER (WHERE m.month BETWEEN $cmp_start::DATE AND $cmp_end::DATE), 0)::BIGINT AS amount_uzs_cmp,
       coalesce(sum(m.households) FILTER (WHERE m.month BETWEEN $cmp_start::DATE AND $cmp_end::DATE), 0)::BIGINT AS recipient_months_cmp,
       coalesce(sum(m.households) FILTER (WHERE m.month = $cmp_end::DATE), 0)::BIGINT AS households_cmp
FROM ref_regions r
LEFT JOIN m ON m.region_soato = r.region_soato
WHERE ($scope_region::VARCHAR IS NULL OR r.region_soato = $scope_region::VARCHAR)
  AND ($scope_district::VARCHAR IS NULL OR r.region_soato = left($scope_district::VARCHAR, 4))
GROUP BY ALL
ORDER BY r.region_soato
