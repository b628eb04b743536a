-- Macro running_stocks: monthly flows and month-end stocks per key, from +1/-1 events.
-- A stock (open cases, entries waiting more than 90 days, ...) is the running sum of events:
-- +1 in the month an item enters it, -1 in the month it leaves -- no item x month expansion.
-- running_stocks(events): events names a table or CTE with the columns
--   key       the key of the cells (a STRUCT of the key columns: struct_pack(a, b, c)),
--   month     any day of the month the event falls in (DATE or TIMESTAMP),
--   f_<name>  flows, counted in their month (e.g. f_opened = 1 in the month a case opens),
--   d_<name>  stock events: +1 when an item enters the stock, -1 when it leaves.
-- Returns, for every month of _calendar of every key with an event: key, month and, named
-- without their prefix, the sums of the flows in the month (0 when none) and the stocks at
-- the month end (running sums of d_<name>; events outside _calendar count in the running
-- sums, their months are not returned).
-- Grain: key x month of _calendar.
-- Reads: _calendar
-- Key: key, month
-- Parameters: none.
CREATE OR REPLACE TEMP MACRO running_stocks(events) AS TABLE
WITH evm AS (
    SELECT key, CAST(date_trunc('month', month) AS DATE) AS month, sum(COLUMNS('^[fd]_'))
    FROM query_table(events)
    GROUP BY ALL
),
cells AS (  -- every calendar month of every key, plus event months outside the calendar
    SELECT k.key, c.month
    FROM (SELECT DISTINCT key FROM evm) AS k CROSS JOIN _calendar AS c
    UNION
    SELECT key, month FROM evm
),
run AS (
    SELECT x.key, x.month,
           coalesce(COLUMNS('^f_(.*)'), 0) AS '\1',
           sum(coalesce(COLUMNS('^d_(.*)'), 0)) OVER w AS '\1'
    FROM cells AS x
    LEFT JOIN evm AS v USING (key, month)
    WINDOW w AS (PARTITION BY x.key ORDER BY x.month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT * FROM run WHERE month IN (SELECT month FROM _calendar);
