-- Grain: one row per level: 'district', 'region', 'country'.
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $month_from     DATE            first month of the period
--   $month_to       DATE            last month of the period
-- Same definitions as inson_kpis: stocks at the end of $month_to, flows over the period,
-- lower median days to close from the histogram.
-- Purpose (profile_inson): Inson centre workload for one district, its region and the country
--  (district profile).
WITH tgt AS (
    SELECT district_soato, region_soato FROM ref_districts
    WHERE district_soato = $district::VARCHAR
      AND in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
), levels AS (
    SELECT level, ord FROM (VALUES ('district', 1), ('region', 2), ('country', 3)) v(level, ord)
), w AS (
    SELECT l.level, BOOL_OR(w.is_pilot) AS is_pilot,
           SUM(w.workers_in_post) AS workers_in_post,
           SUM(w.mahallas_total) AS mahallas_total,
           SUM(w.mahallas_with_worker) AS mahallas_with_worker
    FROM mart_workers_dm w CROSS JOIN tgt CROSS JOIN levels l
    WHERE w.month = $month_to::DATE
      AND in_scope(w.region_soato, w.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND w.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND w.district_soato = tgt.district_soato))
    GROUP BY l.level
), c AS (
    SELECT l.level,
           SUM(c.opened) FILTER (WHERE c.month >= $month_from::DATE) AS opened,
           SUM(c.closed) FILTER (WHERE c.month >= $month_from::DATE) AS closed,
           SUM(c.open_end) FILTER (WHERE c.month = $month_to::DATE) AS open_cases,
           SUM(c.backlog_90p) FILTER (WHERE c.month = $month_to::DATE) AS backlog_90p
    FROM mart_cases_dm c CROSS JOIN tgt CROSS JOIN levels l
    WHERE c.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND c.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND c.district_soato = tgt.district_soato))
    GROUP BY l.level
), hist AS (
    SELECT l.level, h.days, SUM(h.cases) AS n
    FROM mart_case_close_hist_all h CROSS JOIN tgt CROSS JOIN levels l
    WHERE h.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(h.region_soato, h.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND h.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND h.district_soato = tgt.district_soato))
    GROUP BY l.level, h.days
), med AS (
    SELECT level, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_close
    FROM (SELECT level, days,
                 SUM(n) OVER (PARTITION BY level ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY level) AS total_n
          FROM hist)
    GROUP BY level
)
SELECT l.level,
       COALESCE(w.is_pilot, FALSE) AS is_pilot,
       COALESCE(w.workers_in_post, 0)::BIGINT AS workers_in_post,
       COALESCE(w.mahallas_total, 0)::BIGINT AS mahallas_total,
       COALESCE(w.mahallas_with_worker, 0)::BIGINT AS mahallas_with_worker,
       (COALESCE(w.mahallas_total, 0) - COALESCE(w.mahallas_with_worker, 0))::BIGINT AS mahallas_no_worker,
       COALESCE(c.open_cases, 0)::BIGINT AS open_cases,
       COALESCE(c.opened, 0)::BIGINT AS opened,
       COALESCE(c.closed, 0)::BIGINT AS closed,
       COALESCE(c.backlog_90p, 0)::BIGINT AS backlog_90p,
       m.median_days_to_close
FROM levels l CROSS JOIN tgt
LEFT JOIN w USING (level) LEFT JOIN c USING (level) LEFT JOIN med m USING (level)
ORDER BY l.ord
