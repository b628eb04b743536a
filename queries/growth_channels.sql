-- Grain: one row per month in [$start, $end] and payment channel: amount and number of
-- payments over the selected area (mart_payments_dm; absent cells = zero).
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all); $programme ('_all' = every programme, or one);
--   $start, $end (DATE, first days of months, inclusive).
SELECT month, channel,
       sum(amount_uzs)::BIGINT AS amount_uzs,
       sum(payments)::BIGINT    AS payments
FROM mart_payments_dm
WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
  AND ($programme::VARCHAR = all_key() OR programme = $programme::VARCHAR)
  AND month BETWEEN $start::DATE AND $end::DATE
GROUP BY month, channel
ORDER BY month, channel
