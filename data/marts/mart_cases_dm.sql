-- mart_cases_dm: E-Case casework by Inson centre, month and service type.
-- Grain: centre_id x month x service_type (rows where every measure is 0 are absent).
-- A case belongs to the centre of its worker (cases.worker_id -> social_workers.centre_id);
-- district_soato / region_soato are the centre's.
-- Flows: opened (opened_on in the month), closed (closed_on in the month),
--   days_to_close_sum (closed_on - opened_on over the cases closed in the month).
-- Stocks at month end e: open_end = opened_on <= e and (closed_on empty or > e);
--   backlog_0_30 / backlog_31_90 / backlog_90p split open_end by age e - opened_on
--   (0-30, 31-90, 91+ days). Running sums of +1/-1 events.
-- Parameters: none.
CREATE OR REPLACE TABLE mart_cases_dm AS
WITH c AS (
    SELECT ic.centre_id, ic.district_soato, cs.service_type, cs.opened_on, cs.closed_on
    FROM cases AS cs
    JOIN social_workers AS w USING (worker_id)
    JOIN inson_centres AS ic ON ic.centre_id = w.centre_id
),
ev AS (
    SELECT centre_id, district_soato, service_type, date_trunc('month', opened_on) AS month,
           1 AS opened, 0 AS closed, 0 AS days_to_close, 1 AS d_open, 0 AS d_gt30, 0 AS d_gt90 FROM c
    UNION ALL
    SELECT centre_id, district_soato, service_type, date_trunc('month', closed_on), 0, 1,
           closed_on - opened_on, -1, 0, 0
    FROM c WHERE closed_on IS NOT NULL
    UNION ALL
    SELECT centre_id, district_soato, service_type, date_trunc('month', opened_on + 31), 0, 0, 0, 0, 1, 0
    FROM c WHERE closed_on IS NULL OR date_trunc('month', closed_on) > date_trunc('month', opened_on + 31)
    UNION ALL
    SELECT centre_id, district_soato, service_type, date_trunc('month', closed_on), 0, 0, 0, 0, -1, 0
    FROM c WHERE closed_on IS NOT NULL AND date_trunc('month', closed_on) > date_trunc('month', opened_on + 31)
    UNION ALL
    SELECT centre_id, district_soato, service_type, date_trunc('month', opened_on + 91), 0, 0, 0, 0, 0, 1
    FROM c WHERE closed_on IS NULL OR date_trunc('month', closed_on) > date_trunc('month', opened_on + 91)
    UNION ALL
    SELECT centre_id, district_soato, service_type, date_trunc('month', closed_on), 0, 0, 0, 0, 0, -1
    FROM c WHERE closed_on IS NOT NULL AND date_trunc('month', closed_on) > date_trunc('month', opened_on + 91)
),
evm AS (
    SELECT centre_id, district_soato, service_type, CAST(month AS DATE) AS month,
           sum(opened) AS opened, sum(closed) AS closed, sum(days_to_close) AS days_to_close_sum,
           sum(d_open) AS d_open, sum(d_gt30) AS d_gt30, sum(d_gt90) AS d_gt90
    FROM ev GROUP BY ALL
),
cells AS (
    SELECT k.centre_id, k.district_soato, k.service_type, cal.month
    FROM (SELECT DISTINCT centre_id, district_soato, service_type FROM evm) AS k CROSS JOIN _calendar AS cal
    UNION
    SELECT centre_id, district_soato, service_type, month FROM evm
),
run AS (
    SELECT x.centre_id, x.district_soato, x.service_type, x.month,
           coalesce(v.opened, 0) AS opened, coalesce(v.closed, 0) AS closed,
           coalesce(v.days_to_close_sum, 0) AS days_to_close_sum,
           sum(coalesce(v.d_open, 0)) OVER w AS open_end,
           sum(coalesce(v.d_gt30, 0)) OVER w AS gt30,
           sum(coalesce(v.d_gt90, 0)) OVER w AS gt90
    FROM cells AS x
    LEFT JOIN evm AS v USING (centre_id, district_soato, service_type, month)
    WINDOW w AS (PARTITION BY x.centre_id, x.district_soato, x.service_type ORDER BY x.month
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato, centre_id, month, service_type,
       CAST(opened AS BIGINT) AS opened, CAST(closed AS BIGINT) AS closed,
       CAST(days_to_close_sum AS BIGINT) AS days_to_close_sum,
       CAST(open_end AS BIGINT) AS open_end,
       CAST(open_end - gt30 AS BIGINT) AS backlog_0_30,
       CAST(gt30 - gt90 AS BIGINT) AS backlog_31_90,
       CAST(gt90 AS BIGINT) AS backlog_90p
FROM run
WHERE month IN (SELECT month FROM _calendar)
  AND (opened <> 0 OR closed <> 0 OR open_end <> 0);
