-- Mart mart_case_close_hist_all: days from opening to closing a case, all service types together.
-- For the medians of the workload pages; mart_case_close_hist keeps the service type for
-- the per-service medians. Built from mart_case_close_hist, so both agree by construction.
-- Grain: district_soato x month (of closed_on) x days (capped at days_cap(): "366 or more").
-- Reads: mart_case_close_hist
-- Key: district_soato, month, days
-- Parameters: none.
CREATE OR REPLACE TABLE mart_case_close_hist_all AS
SELECT region_soato, district_soato, month, days, SUM(cases)::BIGINT AS cases
FROM mart_case_close_hist
GROUP BY ALL;
