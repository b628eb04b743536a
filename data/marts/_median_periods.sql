-- Helper _median_periods: the periods whose medians are stored at ingest
-- (mart_daftar_wait_median, mart_case_close_median): those with median_period(first_month, month)
-- (data/domain.py): every single month, every 12 months and every year to date that ends in a
-- month of _calendar or in the 11 months after it (a period running past the data reads the
-- months it has; one ending later holds no data at all), so a query finds every such period here.
-- Grain: one row per period (first_month, month = its last month).
-- Reads: _calendar
-- Key: first_month, month
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _median_periods AS
WITH ends AS (
    SELECT CAST(m AS DATE) AS month
    FROM (SELECT min(month) AS m0, max(month) AS m1 FROM _calendar),
         range(CAST(m0 AS TIMESTAMP), CAST(m1 + INTERVAL 12 MONTH AS TIMESTAMP), INTERVAL 1 MONTH) AS r(m)
)
SELECT DISTINCT first_month, month
FROM ends,
     unnest([month, CAST(month - INTERVAL 11 MONTH AS DATE),
             CAST(date_trunc('year', month) AS DATE)]) AS p(first_month)
ORDER BY month, first_month;
