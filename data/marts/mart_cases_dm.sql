-- Mart mart_cases_dm: E-Case casework by Inson centre, month and service type.
-- Grain: centre_id x month x service_type (rows where every measure is 0 are absent).
-- A case belongs to the centre of its worker (cases.worker_id -> social_workers.centre_id);
-- district_soato / region_soato are the centre's.
-- Flows: opened (opened_on in the month), closed (closed_on in the month),
--   days_to_close_sum (closed_on - opened_on over the cases closed in the month).
-- Stocks at month end e: open_end = opened_on <= e and (closed_on empty or > e);
--   backlog_0_30 / backlog_31_90 / backlog_90p split open_end by age e - opened_on
--   (0-30, 31-90, 91+ days). Running sums of +1/-1 events (running_stocks).
-- Reads: cases, social_workers, inson_centres, running_stocks
-- Key: centre_id, month, service_type
-- Parameters: none.
CREATE OR REPLACE TABLE mart_cases_dm AS
WITH c AS (
    SELECT struct_pack(ic.centre_id, ic.district_soato, cs.service_type) AS key, cs.opened_on, cs.closed_on
    FROM cases AS cs
    JOIN social_workers AS w USING (worker_id)
    JOIN inson_centres AS ic ON ic.centre_id = w.centre_id
),
ev AS (  -- flows f_*; stock events d_*: open, open more than 30 / 90 days
    SELECT key, opened_on AS month,
           1 AS f_opened, 0 AS f_closed, 0 AS f_days_to_close_sum, 1 AS d_open_end, 0 AS d_gt30, 0 AS d_gt90 FROM c
    UNION ALL
    SELECT key, closed_on, 0, 1, closed_on - opened_on, -1, 0, 0
    FROM c WHERE closed_on IS NOT NULL
    UNION ALL
    SELECT key, opened_on + 31, 0, 0, 0, 0, 1, 0
    FROM c WHERE closed_on IS NULL OR date_trunc('month', closed_on) > date_trunc('month', opened_on + 31)
    UNION ALL
    SELECT key, closed_on, 0, 0, 0, 0, -1, 0
    FROM c WHERE closed_on IS NOT NULL AND date_trunc('month', closed_on) > date_trunc('month', opened_on + 31)
    UNION ALL
    SELECT key, opened_on + 91, 0, 0, 0, 0, 0, 1
    FROM c WHERE closed_on IS NULL OR date_trunc('month', closed_on) > date_trunc('month', opened_on + 91)
    UNION ALL
    SELECT key, closed_on, 0, 0, 0, 0, 0, -1
    FROM c WHERE closed_on IS NOT NULL AND date_trunc('month', closed_on) > date_trunc('month', opened_on + 91)
)
SELECT substr(key.district_soato, 1, 4) AS region_soato, key.district_soato, key.centre_id, month, key.service_type,
       CAST(opened AS BIGINT) AS opened, CAST(closed AS BIGINT) AS closed,
       CAST(days_to_close_sum AS BIGINT) AS days_to_close_sum,
       CAST(open_end AS BIGINT) AS open_end,
       CAST(open_end - gt30 AS BIGINT) AS backlog_0_30,
       CAST(gt30 - gt90 AS BIGINT) AS backlog_31_90,
       CAST(gt90 AS BIGINT) AS backlog_90p
FROM running_stocks('ev')
WHERE opened <> 0 OR closed <> 0 OR open_end <> 0;
