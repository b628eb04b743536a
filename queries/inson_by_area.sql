-- Grain: one row per area of the scope ($level = 'district': every district of
--        ref_districts in scope; $level = 'region': every region in scope), zeros when
--        an area has no centre or no cases.
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $month_from     DATE            first month of the period
--   $month_to       DATE            last month of the period
--   $level          VARCHAR         'district' or 'region'
-- Stocks at the end of $month_to, flows over the period, lower median days to close
-- from the cumulative histogram (days capped at 366); pilot_centres = centres of the
-- area flagged is_pilot.
-- Purpose (inson_by_area): Inson centre workload per district (one centre each) or per region, for
--  the map and the ranking of the most loaded centres.
WITH w AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           COUNT(DISTINCT centre_id) AS centres,
           COUNT(DISTINCT centre_id) FILTER (WHERE is_pilot) AS pilot_centres,
           SUM(workers_in_post) AS workers_in_post,
           SUM(mahallas_total) AS mahallas_total,
           SUM(mahallas_with_worker) AS mahallas_with_worker
    FROM mart_workers_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND month = $month_to::DATE
    GROUP BY ALL
), c AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           SUM(opened) FILTER (WHERE month >= $month_from::DATE) AS opened,
           SUM(closed) FILTER (WHERE month >= $month_from::DATE) AS closed,
           SUM(days_to_close_sum) FILTER (WHERE month >= $month_from::DATE) AS days_to_close_sum,
           SUM(open_end) FILTER (WHERE month = $month_to::DATE) AS open_cases,
           SUM(backlog_0_30) FILTER (WHERE month = $month_to::DATE) AS backlog_0_30,
           SUM(backlog_31_90) FILTER (WHERE month = $month_to::DATE) AS backlog_31_90,
           SUM(backlog_90p) FILTER (WHERE month = $month_to::DATE) AS backlog_90p
    FROM mart_cases_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY ALL
), hist AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           days, SUM(cases) AS n
    FROM mart_case_close_hist_all
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY ALL
), med AS (
    SELECT soato, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_close
    FROM (SELECT soato, days,
                 SUM(n) OVER (PARTITION BY soato ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY soato) AS total_n
          FROM hist)
    GROUP BY soato
)
SELECT a.soato, a.region_soato, a.name_uz, a.name_ru, a.name_en,
       COALESCE(w.centres, 0)::BIGINT AS centres,
       COALESCE(w.pilot_centres, 0)::BIGINT AS pilot_centres,
       COALESCE(w.workers_in_post, 0)::BIGINT AS workers_in_post,
       COALESCE(w.mahallas_total, 0)::BIGINT AS mahallas_total,
       COALESCE(w.mahallas_with_worker, 0)::BIGINT AS mahallas_with_worker,
       (COALESCE(w.mahallas_total, 0) - COALESCE(w.mahallas_with_worker, 0))::BIGINT AS mahallas_no_worker,
       COALESCE(c.open_cases, 0)::BIGINT AS open_cases,
       COALESCE(c.opened, 0)::BIGINT AS opened,
       COALESCE(c.closed, 0)::BIGINT AS closed,
       COALESCE(c.days_to_close_sum, 0)::BIGINT AS days_to_close_sum,
       m.median_days_to_close,
       COALESCE(c.backlog_0_30, 0)::BIGINT AS backlog_0_30,
       COALESCE(c.backlog_31_90, 0)::BIGINT AS backlog_31_90,
       COALESCE(c.backlog_90p, 0)::BIGINT AS backlog_90p
FROM areas($level::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
           $districts::VARCHAR[]) a
LEFT JOIN w USING (soato)
LEFT JOIN c USING (soato)
LEFT JOIN med m USING (soato)
ORDER BY a.soato
