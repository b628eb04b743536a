-- Grain: one row per area of the scope ($level = 'district': every district of
--        ref_districts in scope; $level = 'region': every region in scope), zeros when
--        an area has no centre or no cases.
-- Scope: level (district rows as `rows`, region rows as `regions`, by $level).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
--   $level          VARCHAR         'district' or 'region'
-- Stocks at the end of $end, flows over the period, lower median days to close
-- from the cumulative histogram (days capped at 366; stored at ingest for a month, 12 months
-- or a year to date: mart_case_close_median); pilot_centres = centres of the
-- area flagged is_pilot.
-- Purpose (inson_by_area): Inson centre workload per district (one centre each) or per region, for
--  the map and the ranking of the most loaded centres.
WITH staff AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           SUM(COLUMNS(* EXCLUDE (region_soato, district_soato, is_pilot)))
    FROM inson_staff($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                     $districts::VARCHAR[], $end::DATE)
    GROUP BY soato
), caseload AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           SUM(COLUMNS(* EXCLUDE (region_soato, district_soato)))
    FROM inson_cases($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                     $districts::VARCHAR[], $start::DATE, $end::DATE)
    GROUP BY soato
), hist AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato, days, SUM(cases) AS n
    FROM case_closings($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                       $districts::VARCHAR[], $start::DATE, $end::DATE)
    WHERE NOT stored_median($level::VARCHAR, $districts::VARCHAR[], $start::DATE, $end::DATE)
    GROUP BY ALL
), med AS (
    -- a period of the quick picks: the medians stored at ingest; any other: the histogram
    SELECT soato, median_days_to_close
    FROM case_close_medians($level::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR,
                            $region::VARCHAR, $districts::VARCHAR[], $start::DATE, $end::DATE)
    UNION ALL
    SELECT soato, hist_median(days, n) AS median_days_to_close FROM hist GROUP BY soato
)
SELECT a.*,
       COALESCE(COLUMNS(s.* EXCLUDE (soato)), 0)::BIGINT,
       (COALESCE(s.mahallas_total, 0) - COALESCE(s.mahallas_with_worker, 0))::BIGINT AS mahallas_no_worker,
       COALESCE(COLUMNS(['open_cases', 'opened', 'closed', 'days_to_close_sum']), 0)::BIGINT,
       m.median_days_to_close,
       COALESCE(COLUMNS(['backlog_0_30', 'backlog_31_90', 'backlog_90p']), 0)::BIGINT
FROM areas($level::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
           $districts::VARCHAR[]) a
LEFT JOIN staff s USING (soato) LEFT JOIN caseload c USING (soato) LEFT JOIN med m USING (soato)
ORDER BY a.soato
