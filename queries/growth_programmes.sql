-- Grain: one row per month in [$start, $end] and programme with payments: amount paid and
-- distinct households paid by that programme over the selected area (mart_recipients_dm).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all); $programme ('_all' = every programme, or one);
--   $start, $end (DATE, first days of months, inclusive).
SELECT month, programme,
       sum(amount_uzs)::BIGINT AS amount_uzs,
       sum(households)::BIGINT  AS households
FROM mart_recipients_dm
WHERE ($scope_region::VARCHAR IS NULL OR region_soato = $scope_region::VARCHAR)
  AND ($scope_district::VARCHAR IS NULL OR district_soato = $scope_district::VARCHAR)
  AND ($region::VARCHAR IS NULL OR region_soato = $region::VARCHAR)
  AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], district_soato))
  AND programme <> '_all'
  AND ($programme::VARCHAR = '_all' OR programme = $programme::VARCHAR)
  AND month BETWEEN $start::DATE AND $end::DATE
GROUP BY month, programme
ORDER BY month, programme
