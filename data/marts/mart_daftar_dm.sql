-- mart_daftar_dm: daftar (register) flows and stocks by district and month.
-- Grain: district_soato x month x daftar x need_type (rows where every measure is 0 are absent).
-- Flows (counted in the month of the date): included (included_on), assessed (assessed_on),
--   assisted (assisted_on), removed (removed_on), days_to_help_sum (assisted_on - included_on,
--   over the entries assisted in the month).
-- Stocks at month end e: an entry is open while included_on <= e and it is neither assisted nor
--   removed by e (close = the earlier of assisted_on, removed_on; open while close > e).
--   open_end: open entries; waiting_90 / waiting_180: open and e - included_on > 90 / > 180 days.
-- Stocks are running sums of +1/-1 events (no entry x month expansion).
-- Parameters: none.
CREATE OR REPLACE TABLE mart_daftar_dm AS
WITH e AS (
    SELECT district_soato, daftar, need_type, included_on, assessed_on, assisted_on, removed_on,
           CASE WHEN assisted_on IS NULL THEN removed_on
                WHEN removed_on IS NULL THEN assisted_on
                ELSE least(assisted_on, removed_on) END AS close_on
    FROM daftar_entries
),
ev AS (
    SELECT district_soato, daftar, need_type, date_trunc('month', included_on) AS month,
           1 AS included, 0 AS assessed, 0 AS assisted, 0 AS removed, 0 AS days_to_help,
           1 AS d_open, 0 AS d_w90, 0 AS d_w180 FROM e
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', assessed_on), 0, 1, 0, 0, 0, 0, 0, 0
    FROM e WHERE assessed_on IS NOT NULL
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', assisted_on), 0, 0, 1, 0,
           assisted_on - included_on, 0, 0, 0
    FROM e WHERE assisted_on IS NOT NULL
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', removed_on), 0, 0, 0, 1, 0, 0, 0, 0
    FROM e WHERE removed_on IS NOT NULL
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', close_on), 0, 0, 0, 0, 0, -1, 0, 0
    FROM e WHERE close_on IS NOT NULL
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', included_on + 91), 0, 0, 0, 0, 0, 0, 1, 0
    FROM e WHERE close_on IS NULL OR date_trunc('month', close_on) > date_trunc('month', included_on + 91)
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', close_on), 0, 0, 0, 0, 0, 0, -1, 0
    FROM e WHERE close_on IS NOT NULL AND date_trunc('month', close_on) > date_trunc('month', included_on + 91)
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', included_on + 181), 0, 0, 0, 0, 0, 0, 0, 1
    FROM e WHERE close_on IS NULL OR date_trunc('month', close_on) > date_trunc('month', included_on + 181)
    UNION ALL
    SELECT district_soato, daftar, need_type, date_trunc('month', close_on), 0, 0, 0, 0, 0, 0, 0, -1
    FROM e WHERE close_on IS NOT NULL AND date_trunc('month', close_on) > date_trunc('month', included_on + 181)
),
evm AS (
    SELECT district_soato, daftar, need_type, CAST(month AS DATE) AS month,
           sum(included) AS included, sum(assessed) AS assessed, sum(assisted) AS assisted,
           sum(removed) AS removed, sum(days_to_help) AS days_to_help_sum,
           sum(d_open) AS d_open, sum(d_w90) AS d_w90, sum(d_w180) AS d_w180
    FROM ev GROUP BY ALL
),
cells AS (  -- every calendar month of every key, plus event months outside the calendar
    SELECT k.district_soato, k.daftar, k.need_type, c.month
    FROM (SELECT DISTINCT district_soato, daftar, need_type FROM evm) AS k CROSS JOIN _calendar AS c
    UNION
    SELECT district_soato, daftar, need_type, month FROM evm
),
run AS (
    SELECT c.district_soato, c.daftar, c.need_type, c.month,
           coalesce(v.included, 0) AS included, coalesce(v.assessed, 0) AS assessed,
           coalesce(v.assisted, 0) AS assisted, coalesce(v.removed, 0) AS removed,
           coalesce(v.days_to_help_sum, 0) AS days_to_help_sum,
           sum(coalesce(v.d_open, 0)) OVER w AS open_end,
           sum(coalesce(v.d_w90, 0)) OVER w AS waiting_90,
           sum(coalesce(v.d_w180, 0)) OVER w AS waiting_180
    FROM cells AS c
    LEFT JOIN evm AS v USING (district_soato, daftar, need_type, month)
    WINDOW w AS (PARTITION BY c.district_soato, c.daftar, c.need_type ORDER BY c.month
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato, month, daftar, need_type,
       CAST(included AS BIGINT) AS included, CAST(assessed AS BIGINT) AS assessed,
       CAST(assisted AS BIGINT) AS assisted, CAST(removed AS BIGINT) AS removed,
       CAST(open_end AS BIGINT) AS open_end, CAST(waiting_90 AS BIGINT) AS waiting_90,
       CAST(waiting_180 AS BIGINT) AS waiting_180, CAST(days_to_help_sum AS BIGINT) AS days_to_help_sum
FROM run
WHERE month IN (SELECT month FROM _calendar)
  AND (included <> 0 OR assessed <> 0 OR assisted <> 0 OR removed <> 0
       OR open_end <> 0 OR waiting_90 <> 0 OR waiting_180 <> 0);
