-- Mart mart_case_close_hist: distribution of days from opening to closing a case (for medians).
-- Grain: district_soato x month (of closed_on) x service_type x days (closed_on - opened_on,
--   capped at days_cap() = 366: 366 means "366 or more").
-- District = the centre of the case's worker, as in mart_cases_dm.
-- Reads: cases, social_workers, inson_centres
-- Key: district_soato, month, service_type, days
-- Parameters: none.
CREATE OR REPLACE TABLE mart_case_close_hist AS
SELECT substr(ic.district_soato, 1, 4) AS region_soato, ic.district_soato,
       CAST(date_trunc('month', cs.closed_on) AS DATE) AS month,
       cs.service_type,
       CAST(least(cs.closed_on - cs.opened_on, days_cap()) AS INTEGER) AS days,
       count(*) AS cases
FROM cases AS cs
JOIN social_workers AS w USING (worker_id)
JOIN inson_centres AS ic ON ic.centre_id = w.centre_id
WHERE cs.closed_on IS NOT NULL
GROUP BY ALL;
