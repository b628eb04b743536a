-- mart_recipients_dy: distinct households paid over a calendar year by district and
-- programme, plus programme '_all' (any programme).
-- Grain: district_soato x year x programme (programme includes '_all').
-- Parameters: none.
CREATE OR REPLACE TABLE mart_recipients_dy AS
WITH by_prog AS (
    SELECT d_idx, CAST(year(month) AS INTEGER) AS year, prog,
           count(DISTINCT hh_key) AS households, CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
    FROM _paid GROUP BY d_idx, year(month), prog
),
all_prog AS (
    SELECT d_idx, CAST(year(month) AS INTEGER) AS year,
           count(DISTINCT hh_key) AS households, CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
    FROM _paid_m GROUP BY d_idx, year(month)
)
SELECT substr(d.district_soato, 1, 4) AS region_soato, d.district_soato, b.year, g.programme,
       b.households, b.amount_uzs
FROM by_prog AS b JOIN _districts_idx AS d USING (d_idx) JOIN _programmes AS g USING (prog)
UNION ALL
SELECT substr(d.district_soato, 1, 4), d.district_soato, a.year, '_all', a.households, a.amount_uzs
FROM all_prog AS a JOIN _districts_idx AS d USING (d_idx);
