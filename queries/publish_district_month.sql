-- Grain: one row per district of the viewer's scope (areas('district', ...)) × month of
--   [$start, $end]: the open-data release's indicators (python -m qamrov publish). Coverage of the
--   targeted assistance (mart_coverage_dm, programme targeted_key()): eligible_households,
--   assisted_eligible; assisted_households (paid by any programme, programme all_key()); amount_uzs
--   (so'm paid by any programme, mart_recipients_dm); daftar reach (mart_daftar_dm, every daftar):
--   daftar_assisted (helped in the month), daftar_open (open at month end); Inson workload
--   (mart_workers_dm, mart_cases_dm): workers_in_post, open_cases (both at month end). One flow
--   beside each stock only (with both flows the month-end identity would give the third away).
--   0 where a mart has no row; counts are released through queries/lab/package.py (disclosure).
-- Scope: inputs (district rows of the viewer's scope feeding the policy lab's models, which protect their own outputs).
-- Parameters: $scope_region, $scope_district (viewer's scope); $start, $end (DATE, first days of months).
WITH months AS (
    SELECT month FROM period_months($start::DATE, $end::DATE)
), grid AS (
    SELECT a.soato AS district_soato, a.region_soato, a.name_uz, a.name_ru, a.name_en, m.month
    FROM areas('district', $scope_region::VARCHAR, $scope_district::VARCHAR, NULL, []::VARCHAR[]) a, months m
), cov AS (
    SELECT district_soato, month,
           SUM(eligible_households) FILTER (WHERE programme = targeted_key()) AS eligible_households,
           SUM(assisted_eligible) FILTER (WHERE programme = targeted_key()) AS assisted_eligible,
           SUM(assisted_households) FILTER (WHERE programme = all_key()) AS assisted_households
    FROM mart_coverage_dm
    WHERE month BETWEEN $start::DATE AND $end::DATE AND programme IN (targeted_key(), all_key())
      AND in_scope(region_soato, district_soato, $scope_region, $scope_district)
    GROUP BY ALL
), paid AS (
    SELECT district_soato, month, SUM(amount_uzs) AS amount_uzs
    FROM mart_recipients_dm
    WHERE programme = all_key() AND month BETWEEN $start::DATE AND $end::DATE
      AND in_scope(region_soato, district_soato, $scope_region, $scope_district)
    GROUP BY ALL
), counts AS (    -- daftar and Inson counts of three marts, one row per district and month
    SELECT district_soato, month, SUM(COLUMNS(* EXCLUDE (district_soato, month))) FROM (
        SELECT district_soato, month, assisted AS daftar_assisted, open_end AS daftar_open FROM mart_daftar_dm
        WHERE month BETWEEN $start::DATE AND $end::DATE AND in_scope(region_soato, district_soato, $scope_region,
                                                                     $scope_district)
        UNION ALL BY NAME
        SELECT district_soato, month, workers_in_post FROM mart_workers_dm
        WHERE month BETWEEN $start::DATE AND $end::DATE AND in_scope(region_soato, district_soato, $scope_region,
                                                                     $scope_district)
        UNION ALL BY NAME
        SELECT district_soato, month, open_end AS open_cases FROM mart_cases_dm
        WHERE month BETWEEN $start::DATE AND $end::DATE AND in_scope(region_soato, district_soato, $scope_region,
                                                                     $scope_district))
    GROUP BY district_soato, month
)
SELECT g.district_soato, g.region_soato, g.name_uz, g.name_ru, g.name_en, g.month,
       COALESCE(COLUMNS(['eligible_households', 'assisted_eligible', 'assisted_households', 'amount_uzs',
                         'daftar_assisted', 'daftar_open', 'workers_in_post', 'open_cases']), 0)::BIGINT
FROM grid g
LEFT JOIN cov USING (district_soato, month)
LEFT JOIN paid USING (district_soato, month)
LEFT JOIN counts USING (district_soato, month)
ORDER BY g.month, g.district_soato
