-- Periods: the months a trend shows.

-- period_months(month_from, month_to): one row per month of [month_from, month_to] (first days
-- of months): month DATE.
CREATE OR REPLACE MACRO period_months(month_from, month_to) AS TABLE
    SELECT CAST(m AS DATE) AS month FROM generate_series(month_from, month_to, INTERVAL 1 MONTH) g(m);
