-- Grain: one row per month of [$start, $end] and group ('pilot', 'other');
--        months with no activity present with zeros.
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month shown
--   $end       DATE            last month shown
-- workers_in_post / open_cases / backlog_90p are stocks at each month end; opened,
-- closed, days_to_close_sum are flows of the month; median_days_to_close is the lower
-- median of cases closed in the month (cumulative histogram, days capped at 366).
-- Purpose (inson_trend): monthly Inson workload, pilot centres vs the rest.
WITH pilot AS (
    SELECT *
    FROM inson_pilot($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR, $districts::VARCHAR[])
), grps AS (
    SELECT grp FROM (VALUES ('pilot'), ('other')) v(grp)
), w AS (
    SELECT w.month, inson_group(p.is_pilot) AS grp, SUM(w.workers_in_post) AS workers_in_post
    FROM mart_workers_dm w JOIN pilot p USING (district_soato)
    WHERE in_scope(w.region_soato, w.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(w.region_soato, w.district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND w.month BETWEEN $start::DATE AND $end::DATE
    GROUP BY ALL
), c AS (
    SELECT c.month, inson_group(p.is_pilot) AS grp,
           SUM(c.open_end) AS open_cases, SUM(c.opened) AS opened, SUM(c.closed) AS closed,
           SUM(c.days_to_close_sum) AS days_to_close_sum, SUM(c.backlog_90p) AS backlog_90p
    FROM mart_cases_dm c LEFT JOIN pilot p USING (district_soato)
    WHERE in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(c.region_soato, c.district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND c.month BETWEEN $start::DATE AND $end::DATE
    GROUP BY ALL
), hist AS (
    SELECT h.month, inson_group(p.is_pilot) AS grp, h.days, SUM(h.cases) AS n
    FROM case_closings($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                       $districts::VARCHAR[], $start::DATE, $end::DATE) h
    LEFT JOIN pilot p USING (district_soato)
    GROUP BY ALL
), med AS (
    SELECT month, grp, hist_median(days, n) AS median_days_to_close FROM hist GROUP BY month, grp
)
SELECT m.month, g.grp,
       COALESCE(w.workers_in_post, 0)::BIGINT AS workers_in_post,
       COALESCE(COLUMNS(c.* EXCLUDE (month, grp)), 0)::BIGINT,
       md.median_days_to_close
FROM period_months($start::DATE, $end::DATE) m CROSS JOIN grps g
LEFT JOIN w ON w.month = m.month AND w.grp = g.grp
LEFT JOIN c ON c.month = m.month AND c.grp = g.grp
LEFT JOIN med md ON md.month = m.month AND md.grp = g.grp
ORDER BY m.month, g.grp
