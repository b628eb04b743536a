-- Grain: one row per service_type (all eight codes of data/contract.py SERVICE_TYPES,
--        zeros when absent).
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
-- opened / closed / days_to_close_sum over the period; open_cases and backlog_90p at the
-- end of $end; median_days_to_close = lower median from the cumulative histogram.
-- Purpose (inson_services): service mix of the Inson centres.
WITH types AS (
    SELECT service_type FROM (VALUES ('home_care'), ('rehabilitation'), ('psychological'),
        ('legal_aid'), ('material_support'), ('referral_employment'), ('referral_health'),
        ('referral_education')) v(service_type)
), c AS (
    SELECT service_type,
           SUM(opened) FILTER (WHERE month >= $start::DATE) AS opened,
           SUM(closed) FILTER (WHERE month >= $start::DATE) AS closed,
           SUM(days_to_close_sum) FILTER (WHERE month >= $start::DATE) AS days_to_close_sum,
           SUM(open_end) FILTER (WHERE month = $end::DATE) AS open_cases,
           SUM(backlog_90p) FILTER (WHERE month = $end::DATE) AS backlog_90p
    FROM mart_cases_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY service_type
), hist AS (
    SELECT service_type, days, SUM(cases) AS n
    FROM mart_case_close_hist
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY service_type, days
), med AS (
    SELECT service_type, hist_median(days, n) AS median_days_to_close FROM hist GROUP BY service_type
)
SELECT t.service_type,
       COALESCE(c.opened, 0)::BIGINT AS opened,
       COALESCE(c.closed, 0)::BIGINT AS closed,
       COALESCE(c.days_to_close_sum, 0)::BIGINT AS days_to_close_sum,
       m.median_days_to_close,
       COALESCE(c.open_cases, 0)::BIGINT AS open_cases,
       COALESCE(c.backlog_90p, 0)::BIGINT AS backlog_90p
FROM types t LEFT JOIN c USING (service_type) LEFT JOIN med m USING (service_type)
ORDER BY opened DESC, service_type
