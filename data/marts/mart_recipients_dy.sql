-- mart_recipients_dy: distinct households paid over a calendar year by district and
-- programme, plus programme '_all' (any programme).
-- Grain: district_soato x year x programme (programme includes '_all').
-- Parameters: none.
CREATE OR REPLACE TABLE mart_recipients_dy AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato, CAST(year(month) AS INTEGER) AS year,
       programme,
       count(DISTINCT hh_key) AS households,
       CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
FROM _paid
GROUP BY district_soato, year(month), programme
UNION ALL
SELECT substr(district_soato, 1, 4), district_soato, CAST(year(month) AS INTEGER), '_all',
       count(DISTINCT hh_key),
       CAST(sum(amount_uzs) AS BIGINT)
FROM _paid
GROUP BY district_soato, year(month);
