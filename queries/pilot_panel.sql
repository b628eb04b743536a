-- Grain: one row per district of the selected area (viewer's scope) × month of [$start, $end]: the
--   outcomes of the pilot evaluation and the month the district's Inson centre opened.
--   cohort: the opening month (mart_centres; NULL without a centre); is_pilot: one of the 28 pilots;
--   eligible_households, assisted_eligible, assisted_households: targeted assistance (programme
--   targeted_key() of mart_coverage_dm); targeted_amount_uzs: so'm paid by the targeted programmes
--   (mart_recipients_dm); daftar_assisted, days_to_help_sum: daftar entries helped in the month
--   (every daftar, mart_daftar_dm) and their days from inclusion to help.
-- Scope: inputs (district rows of the viewer's scope feeding the policy lab's models, which protect their own outputs).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit code or NULL),
--   $districts (VARCHAR[], empty = all) the area; $start, $end (DATE, first days of months) the months.
WITH cov AS (
    SELECT region_soato, district_soato, month, eligible_households, assisted_eligible, assisted_households
    FROM mart_coverage_dm
    WHERE programme = targeted_key()
      AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
      AND month BETWEEN $start::DATE AND $end::DATE
),
paid AS (
    SELECT district_soato, month, SUM(amount_uzs) AS targeted_amount_uzs
    FROM mart_recipients_dm
    WHERE list_contains(targeted_programmes(), programme)
      AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY ALL
),
daftar AS (
    SELECT district_soato, month, SUM(assisted) AS daftar_assisted, SUM(days_to_help_sum) AS days_to_help_sum
    FROM mart_daftar_dm
    WHERE in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY ALL
),
centre AS (
    SELECT district_soato, MIN(month) AS cohort, BOOL_OR(is_pilot) AS is_pilot
    FROM mart_centres
    WHERE in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
    GROUP BY ALL
)
SELECT cov.region_soato, cov.district_soato, cov.month, centre.cohort, coalesce(centre.is_pilot, false) AS is_pilot,
       cov.eligible_households, cov.assisted_eligible, cov.assisted_households,
       coalesce(paid.targeted_amount_uzs, 0) AS targeted_amount_uzs,
       coalesce(daftar.daftar_assisted, 0) AS daftar_assisted, coalesce(daftar.days_to_help_sum, 0) AS days_to_help_sum
FROM cov
LEFT JOIN paid USING (district_soato, month)
LEFT JOIN daftar USING (district_soato, month)
LEFT JOIN centre USING (district_soato)
ORDER BY cov.district_soato, cov.month
