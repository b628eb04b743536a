-- Mart mart_recipients_dy: distinct households paid over a calendar year by district and
-- programme, plus programme all_key() (any programme).
-- Grain: district_soato x year x programme (programme includes '_all').
-- Reads: _paid, _paid_m, _districts_idx, _programmes
-- Key: district_soato, year, programme
-- Parameters: none.
CREATE OR REPLACE TABLE mart_recipients_dy AS
WITH cell AS (  -- prog NULL: any programme
    SELECT d_idx, CAST(year(month) AS INTEGER) AS year, prog,
           count(DISTINCT hh_key) AS households, sum(amount_uzs) AS amount_uzs
    FROM _paid GROUP BY d_idx, year(month), prog
    UNION ALL
    SELECT d_idx, CAST(year(month) AS INTEGER), NULL, count(DISTINCT hh_key), sum(amount_uzs)
    FROM _paid_m GROUP BY d_idx, year(month)
)
SELECT substr(d.district_soato, 1, 4) AS region_soato, d.district_soato, c.year,
       coalesce(g.programme, all_key()) AS programme, c.households, CAST(c.amount_uzs AS BIGINT) AS amount_uzs
FROM cell AS c
JOIN _districts_idx AS d USING (d_idx)
LEFT JOIN _programmes AS g USING (prog);
