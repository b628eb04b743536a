-- Mart mart_daftar_dm: daftar (register) flows and stocks by district and month.
-- Grain: district_soato x month x daftar x need_type (rows where every measure is 0 are absent).
-- Flows (counted in the month of the date): included (included_on), assessed (assessed_on),
--   assisted (assisted_on), removed (removed_on), days_to_help_sum (assisted_on - included_on,
--   over the entries assisted in the month).
-- Stocks at month end e: an entry is open while included_on <= e and it is neither assisted nor
--   removed by e (close = the earlier of assisted_on, removed_on; open while close > e).
--   open_end: open entries; waiting_90 / waiting_180: open and e - included_on > 90 / > 180 days.
-- Stocks are running sums of +1/-1 events (running_stocks).
-- Reads: daftar_entries, running_stocks
-- Key: district_soato, month, daftar, need_type
-- Parameters: none.
CREATE OR REPLACE TABLE mart_daftar_dm AS
WITH e AS (
    SELECT struct_pack(district_soato, daftar, need_type) AS key,
           included_on, assessed_on, assisted_on, removed_on,
           CASE WHEN assisted_on IS NULL THEN removed_on
                WHEN removed_on IS NULL THEN assisted_on
                ELSE least(assisted_on, removed_on) END AS close_on
    FROM daftar_entries
),
ev AS (  -- flows f_*; stock events d_*: open, open more than 90 / 180 days
    SELECT key, included_on AS month,
           1 AS f_included, 0 AS f_assessed, 0 AS f_assisted, 0 AS f_removed, 0 AS f_days_to_help_sum,
           1 AS d_open_end, 0 AS d_waiting_90, 0 AS d_waiting_180 FROM e
    UNION ALL
    SELECT key, assessed_on, 0, 1, 0, 0, 0, 0, 0, 0 FROM e WHERE assessed_on IS NOT NULL
    UNION ALL
    SELECT key, assisted_on, 0, 0, 1, 0, assisted_on - included_on, 0, 0, 0 FROM e WHERE assisted_on IS NOT NULL
    UNION ALL
    SELECT key, removed_on, 0, 0, 0, 1, 0, 0, 0, 0 FROM e WHERE removed_on IS NOT NULL
    UNION ALL
    SELECT key, close_on, 0, 0, 0, 0, 0, -1, 0, 0 FROM e WHERE close_on IS NOT NULL
    UNION ALL
    SELECT key, included_on + 91, 0, 0, 0, 0, 0, 0, 1, 0
    FROM e WHERE close_on IS NULL OR date_trunc('month', close_on) > date_trunc('month', included_on + 91)
    UNION ALL
    SELECT key, close_on, 0, 0, 0, 0, 0, 0, -1, 0
    FROM e WHERE close_on IS NOT NULL AND date_trunc('month', close_on) > date_trunc('month', included_on + 91)
    UNION ALL
    SELECT key, included_on + 181, 0, 0, 0, 0, 0, 0, 0, 1
    FROM e WHERE close_on IS NULL OR date_trunc('month', close_on) > date_trunc('month', included_on + 181)
    UNION ALL
    SELECT key, close_on, 0, 0, 0, 0, 0, 0, 0, -1
    FROM e WHERE close_on IS NOT NULL AND date_trunc('month', close_on) > date_trunc('month', included_on + 181)
)
SELECT substr(key.district_soato, 1, 4) AS region_soato, key.district_soato, month, key.daftar, key.need_type,
       CAST(included AS BIGINT) AS included, CAST(assessed AS BIGINT) AS assessed,
       CAST(assisted AS BIGINT) AS assisted, CAST(removed AS BIGINT) AS removed,
       CAST(open_end AS BIGINT) AS open_end, CAST(waiting_90 AS BIGINT) AS waiting_90,
       CAST(waiting_180 AS BIGINT) AS waiting_180, CAST(days_to_help_sum AS BIGINT) AS days_to_help_sum
FROM running_stocks('ev')
WHERE included <> 0 OR assessed <> 0 OR assisted <> 0 OR removed <> 0
   OR open_end <> 0 OR waiting_90 <> 0 OR waiting_180 <> 0;
