-- Grain: one row per group: 'pilot' (the 28 pilot centres, from 15 October 2023),
--        'other' (all other centres) and '_all' (both together).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $month_from     DATE            first month of the period
--   $month_to       DATE            last month of the period
-- Stocks (workers_in_post, mahallas_*, open_cases, backlog_*) at the end of $month_to;
-- flows (opened, closed, days_to_close_sum) over the period; median_days_to_close is the
-- lower median of days to close of cases closed in the period (cumulative histogram,
-- days capped at 366). A district is 'pilot' when its centre is flagged is_pilot.
-- Purpose (inson_kpis): headline workload figures of the Inson centres, pilot vs the rest.
WITH pilot AS (
    SELECT district_soato, BOOL_OR(is_pilot) AS is_pilot
    FROM mart_workers_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
    GROUP BY district_soato
), w AS (
    SELECT CASE WHEN p.is_pilot THEN 'pilot' ELSE 'other' END AS grp,
           COUNT(DISTINCT w.centre_id) AS centres,
           SUM(w.workers_in_post) AS workers_in_post,
           SUM(w.mahallas_total) AS mahallas_total,
           SUM(w.mahallas_with_worker) AS mahallas_with_worker
    FROM mart_workers_dm w JOIN pilot p USING (district_soato)
    WHERE w.month = $month_to::DATE
    GROUP BY grp
), c AS (
    SELECT CASE WHEN COALESCE(p.is_pilot, FALSE) THEN 'pilot' ELSE 'other' END AS grp,
           SUM(c.opened) FILTER (WHERE c.month >= $month_from::DATE) AS opened,
           SUM(c.closed) FILTER (WHERE c.month >= $month_from::DATE) AS closed,
           SUM(c.days_to_close_sum) FILTER (WHERE c.month >= $month_from::DATE) AS days_to_close_sum,
           SUM(c.open_end) FILTER (WHERE c.month = $month_to::DATE) AS open_cases,
           SUM(c.backlog_0_30) FILTER (WHERE c.month = $month_to::DATE) AS backlog_0_30,
           SUM(c.backlog_31_90) FILTER (WHERE c.month = $month_to::DATE) AS backlog_31_90,
           SUM(c.backlog_90p) FILTER (WHERE c.month = $month_to::DATE) AS backlog_90p
    FROM mart_cases_dm c LEFT JOIN pilot p USING (district_soato)
    WHERE in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(c.region_soato, c.district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND c.month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY grp
), both_groups AS (
    SELECT COALESCE(grp, '_all') AS grp,
           SUM(centres) AS centres, SUM(workers_in_post) AS workers_in_post,
           SUM(mahallas_total) AS mahallas_total, SUM(mahallas_with_worker) AS mahallas_with_worker,
           SUM(opened) AS opened, SUM(closed) AS closed, SUM(days_to_close_sum) AS days_to_close_sum,
           SUM(open_cases) AS open_cases, SUM(backlog_0_30) AS backlog_0_30,
           SUM(backlog_31_90) AS backlog_31_90, SUM(backlog_90p) AS backlog_90p
    FROM (SELECT grp FROM (VALUES ('pilot'), ('other')) v(grp)) g
    LEFT JOIN w USING (grp) LEFT JOIN c USING (grp)
    GROUP BY GROUPING SETS ((grp), ())
), hist AS (
    SELECT COALESCE(grp, '_all') AS grp, days, SUM(n) AS n
    FROM (SELECT CASE WHEN COALESCE(p.is_pilot, FALSE) THEN 'pilot' ELSE 'other' END AS grp,
                 h.days, h.cases AS n
          FROM mart_case_close_hist_all h LEFT JOIN pilot p USING (district_soato)
          WHERE in_scope(h.region_soato, h.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
            AND in_area(h.region_soato, h.district_soato, $region::VARCHAR, $districts::VARCHAR[])
            AND h.month BETWEEN $month_from::DATE AND $month_to::DATE)
    GROUP BY GROUPING SETS ((grp, days), (days))
), med AS (
    SELECT grp, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_close
    FROM (SELECT grp, days,
                 SUM(n) OVER (PARTITION BY grp ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY grp) AS total_n
          FROM hist)
    GROUP BY grp
)
SELECT b.grp,
       COALESCE(b.centres, 0)::BIGINT AS centres,
       COALESCE(b.workers_in_post, 0)::BIGINT AS workers_in_post,
       COALESCE(b.mahallas_total, 0)::BIGINT AS mahallas_total,
       COALESCE(b.mahallas_with_worker, 0)::BIGINT AS mahallas_with_worker,
       (COALESCE(b.mahallas_total, 0) - COALESCE(b.mahallas_with_worker, 0))::BIGINT AS mahallas_no_worker,
       COALESCE(b.open_cases, 0)::BIGINT AS open_cases,
       COALESCE(b.opened, 0)::BIGINT AS opened,
       COALESCE(b.closed, 0)::BIGINT AS closed,
       COALESCE(b.days_to_close_sum, 0)::BIGINT AS days_to_close_sum,
       m.median_days_to_close,
       COALESCE(b.backlog_0_30, 0)::BIGINT AS backlog_0_30,
       COALESCE(b.backlog_31_90, 0)::BIGINT AS backlog_31_90,
       COALESCE(b.backlog_90p, 0)::BIGINT AS backlog_90p
FROM both_groups b LEFT JOIN med m USING (grp)
ORDER BY CASE b.grp WHEN 'pilot' THEN 1 WHEN 'other' THEN 2 ELSE 3 END
