-- Periods: the months a trend shows.

-- period_months(period_start, period_end): one row per month of [period_start, period_end] (first days
-- of months): month DATE.
CREATE OR REPLACE MACRO period_months(period_start, period_end) AS TABLE
    SELECT CAST(m AS DATE) AS month FROM generate_series(period_start, period_end, INTERVAL 1 MONTH) g(m);
