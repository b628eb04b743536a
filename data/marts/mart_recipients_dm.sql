-- Mart mart_recipients_dm: distinct households paid by district, month and programme,
-- plus programme all_key() (distinct households paid from any programme in the month).
-- Grain: district_soato x month x programme (programme includes '_all').
-- Reads: _paid, _paid_m, _districts_idx, _programmes
-- Key: district_soato, month, programme
-- Parameters: none.
CREATE OR REPLACE TABLE mart_recipients_dm AS
WITH cell AS (  -- prog NULL: any programme
    SELECT d_idx, month, prog, count(*) AS households, sum(amount_uzs) AS amount_uzs
    FROM _paid GROUP BY d_idx, month, prog
    UNION ALL
    SELECT d_idx, month, NULL, count(*), sum(amount_uzs)
    FROM _paid_m GROUP BY d_idx, month
)
SELECT substr(d.district_soato, 1, 4) AS region_soato, d.district_soato, c.month,
       coalesce(g.programme, all_key()) AS programme, c.households, CAST(c.amount_uzs AS BIGINT) AS amount_uzs
FROM cell AS c
JOIN _districts_idx AS d USING (d_idx)
LEFT JOIN _programmes AS g USING (prog);
