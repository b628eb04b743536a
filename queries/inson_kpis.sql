-- Grain: one row per group: 'pilot' (the 28 pilot centres, from 15 October 2023),
--        'other' (all other centres) and '_all' (both together).
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
-- Stocks (workers_in_post, mahallas_*, open_cases, backlog_*) at the end of $end;
-- flows (opened, closed, days_to_close_sum) over the period; median_days_to_close is the
-- lower median of days to close of cases closed in the period (cumulative histogram,
-- days capped at 366). A district is 'pilot' when its centre is flagged is_pilot.
-- Purpose (inson_kpis): headline workload figures of the Inson centres, pilot vs the rest.
WITH pilot AS (
    SELECT *
    FROM inson_pilot($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR, $districts::VARCHAR[])
), staff AS (
    SELECT inson_group(p.is_pilot) AS grp,
           SUM(COLUMNS(s.* EXCLUDE (region_soato, district_soato, is_pilot, pilot_centres)))
    FROM inson_staff($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                     $districts::VARCHAR[], $end::DATE) s
    JOIN pilot p USING (district_soato)
    GROUP BY grp
), caseload AS (
    SELECT inson_group(p.is_pilot) AS grp,
           SUM(COLUMNS(c.* EXCLUDE (region_soato, district_soato)))
    FROM inson_cases($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                     $districts::VARCHAR[], $start::DATE, $end::DATE) c
    LEFT JOIN pilot p USING (district_soato)
    GROUP BY grp
), both_groups AS (
    SELECT COALESCE(grp, all_key()) AS grp, SUM(COLUMNS(* EXCLUDE (grp)))
    FROM (SELECT grp FROM (VALUES ('pilot'), ('other')) v(grp)) g
    LEFT JOIN staff USING (grp) LEFT JOIN caseload USING (grp)
    GROUP BY GROUPING SETS ((grp), ())
), hist AS (
    SELECT COALESCE(inson_group(p.is_pilot), all_key()) AS grp, h.days, SUM(h.cases) AS n
    FROM case_closings($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                       $districts::VARCHAR[], $start::DATE, $end::DATE) h
    LEFT JOIN pilot p USING (district_soato)
    GROUP BY GROUPING SETS ((inson_group(p.is_pilot), h.days), (h.days))
), med AS (
    SELECT grp, hist_median(days, n) AS median_days_to_close FROM hist GROUP BY grp
)
SELECT b.grp,
       COALESCE(COLUMNS(['centres', 'workers_in_post', 'mahallas_total', 'mahallas_with_worker']), 0)::BIGINT,
       (COALESCE(b.mahallas_total, 0) - COALESCE(b.mahallas_with_worker, 0))::BIGINT AS mahallas_no_worker,
       COALESCE(COLUMNS(['open_cases', 'opened', 'closed', 'days_to_close_sum']), 0)::BIGINT,
       m.median_days_to_close,
       COALESCE(COLUMNS(['backlog_0_30', 'backlog_31_90', 'backlog_90p']), 0)::BIGINT
FROM both_groups b LEFT JOIN med m USING (grp)
ORDER BY CASE b.grp WHEN 'pilot' THEN 1 WHEN 'other' THEN 2 ELSE 3 END
