-- mart_recipients_dm: distinct households paid by district, month and programme,
-- plus programme '_all' (distinct households paid from any programme in the month).
-- Grain: district_soato x month x programme (programme includes '_all').
-- Parameters: none.
CREATE OR REPLACE TABLE mart_recipients_dm AS
WITH by_prog AS (
    SELECT d_idx, month, prog, count(*) AS households, CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
    FROM _paid GROUP BY d_idx, month, prog
),
all_prog AS (
    SELECT d_idx, month, count(*) AS households, CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
    FROM _paid_m GROUP BY d_idx, month
)
SELECT substr(d.district_soato, 1, 4) AS region_soato, d.district_soato, b.month, g.programme,
       b.households, b.amount_uzs
FROM by_prog AS b JOIN _districts_idx AS d USING (d_idx) JOIN _programmes AS g USING (prog)
UNION ALL
SELECT substr(d.district_soato, 1, 4), d.district_soato, a.month, '_all', a.households, a.amount_uzs
FROM all_prog AS a JOIN _districts_idx AS d USING (d_idx);
