-- Helper _calendar: the months the marts cover, with each month's last day.
-- Grain: one row per month, from the first month with activity in the data
--   (payments.month, daftar_entries.included_on, cases.opened_on) to the month of the
--   snapshot date; month_end is the month's last day.
-- Reads: payments, daftar_entries, cases
-- Key: month
-- Parameters: $snapshot_date (DATE).
CREATE OR REPLACE TEMP TABLE _calendar AS
WITH first_month AS (
    SELECT coalesce(least(
        (SELECT min(month) FROM payments),
        (SELECT min(date_trunc('month', included_on)) FROM daftar_entries),
        (SELECT min(date_trunc('month', opened_on)) FROM cases)
    ), date_trunc('month', $snapshot_date)) AS m0
)
SELECT CAST(m AS DATE) AS month,
       CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS month_end
FROM first_month,
     range(CAST(m0 AS TIMESTAMP), CAST(date_trunc('month', $snapshot_date) + INTERVAL 1 MONTH AS TIMESTAMP),
           INTERVAL 1 MONTH) AS r(m)
ORDER BY month;
