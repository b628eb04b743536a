-- Grain: one row per month of [$month_from, $month_to] and group ('pilot', 'other');
--        months with no activity present with zeros.
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $month_from     DATE            first month shown
--   $month_to       DATE            last month shown
-- workers_in_post / open_cases / backlog_90p are stocks at each month end; opened,
-- closed, days_to_close_sum are flows of the month; median_days_to_close is the lower
-- median of cases closed in the month (cumulative histogram, days capped at 366).
-- Purpose (inson_trend): monthly Inson workload, pilot centres vs the rest.
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series($month_from::DATE, $month_to::DATE, INTERVAL 1 MONTH) g(m)
), pilot AS (
    SELECT district_soato, BOOL_OR(is_pilot) AS is_pilot
    FROM mart_workers_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
    GROUP BY district_soato
), grps AS (
    SELECT grp FROM (VALUES ('pilot'), ('other')) v(grp)
), w AS (
    SELECT w.month, CASE WHEN p.is_pilot THEN 'pilot' ELSE 'other' END AS grp,
           SUM(w.workers_in_post) AS workers_in_post
    FROM mart_workers_dm w JOIN pilot p USING (district_soato)
    WHERE w.month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY ALL
), c AS (
    SELECT c.month, CASE WHEN COALESCE(p.is_pilot, FALSE) THEN 'pilot' ELSE 'other' END AS grp,
           SUM(c.opened) AS opened, SUM(c.closed) AS closed,
           SUM(c.days_to_close_sum) AS days_to_close_sum,
           SUM(c.open_end) AS open_cases, SUM(c.backlog_90p) AS backlog_90p
    FROM mart_cases_dm c LEFT JOIN pilot p USING (district_soato)
    WHERE in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(c.region_soato, c.district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND c.month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY ALL
), hist AS (
    SELECT h.month, CASE WHEN COALESCE(p.is_pilot, FALSE) THEN 'pilot' ELSE 'other' END AS grp,
           h.days, SUM(h.cases) AS n
    FROM mart_case_close_hist_all h LEFT JOIN pilot p USING (district_soato)
    WHERE in_scope(h.region_soato, h.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(h.region_soato, h.district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND h.month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY ALL
), med AS (
    SELECT month, grp, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_close
    FROM (SELECT month, grp, days,
                 SUM(n) OVER (PARTITION BY month, grp ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY month, grp) AS total_n
          FROM hist)
    GROUP BY month, grp
)
SELECT m.month, g.grp,
       COALESCE(w.workers_in_post, 0)::BIGINT AS workers_in_post,
       COALESCE(c.open_cases, 0)::BIGINT AS open_cases,
       COALESCE(c.opened, 0)::BIGINT AS opened,
       COALESCE(c.closed, 0)::BIGINT AS closed,
       COALESCE(c.days_to_close_sum, 0)::BIGINT AS days_to_close_sum,
       COALESCE(c.backlog_90p, 0)::BIGINT AS backlog_90p,
       md.median_days_to_close
FROM months m CROSS JOIN grps g
LEFT JOIN w ON w.month = m.month AND w.grp = g.grp
LEFT JOIN c ON c.month = m.month AND c.grp = g.grp
LEFT JOIN med md ON md.month = m.month AND md.grp = g.grp
ORDER BY m.month, g.grp
