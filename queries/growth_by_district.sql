-- Grain: one row per district of the selected area (every district of ref_districts, zero when
-- nothing was paid): amount paid and recipient-months in the period [$start, $end] and in the
-- comparison period [$cmp_start, $cmp_end], and distinct households paid in the last month of each.
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all); $programme ('_all' = any programme, or one);
--   $start, $end, $cmp_start, $cmp_end (DATE, first days of months, inclusive).
WITH m AS (
    SELECT district_soato, month, amount_uzs, households
    FROM mart_recipients_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND programme = $programme::VARCHAR
      AND (month BETWEEN $start::DATE AND $end::DATE OR month BETWEEN $cmp_start::DATE AND $cmp_end::DATE)
)
SELECT d.district_soato, d.region_soato, d.name_uz, d.name_ru, d.name_en,
       r.name_uz AS region_name_uz, r.name_ru AS region_name_ru, r.name_en AS region_name_en,
       coalesce(sum(m.amount_uzs) FILTER (WHERE m.month BETWEEN $start::DATE AND $end::DATE), 0)::BIGINT AS amount_uzs,
       coalesce(sum(m.households) FILTER (WHERE m.month BETWEEN $start::DATE AND $end::DATE), 0)::BIGINT AS recipient_months,
       coalesce(sum(m.households) FILTER (WHERE m.month = $end::DATE), 0)::BIGINT AS households,
       coalesce(sum(m.amount_uzs) FILTER (WHERE m.month BETWEEN $cmp_start::DATE AND $cmp_end::DATE), 0)::BIGINT AS amount_uzs_cmp,
       coalesce(sum(m.households) FILTER (WHERE m.month BETWEEN $cmp_start::DATE AND $cmp_end::DATE), 0)::BIGINT AS recipient_months_cmp,
       coalesce(sum(m.households) FILTER (WHERE m.month = $cmp_end::DATE), 0)::BIGINT AS households_cmp
FROM ref_districts d
JOIN ref_regions r ON r.region_soato = d.region_soato
LEFT JOIN m ON m.district_soato = d.district_soato
WHERE in_scope(d.region_soato, d.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND in_area(d.region_soato, d.district_soato, $region::VARCHAR, $districts::VARCHAR[])
GROUP BY ALL
ORDER BY d.district_soato
