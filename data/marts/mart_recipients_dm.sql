-- mart_recipients_dm: distinct households paid by district, month and programme,
-- plus programme '_all' (distinct households paid from any programme in the month).
-- Grain: district_soato x month x programme (programme includes '_all').
-- Parameters: none.
CREATE OR REPLACE TABLE mart_recipients_dm AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato, month, programme,
       count(*) AS households,
       CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
FROM _paid
GROUP BY district_soato, month, programme
UNION ALL
SELECT substr(district_soato, 1, 4), district_soato, month, '_all',
       count(DISTINCT hh_key),
       CAST(sum(amount_uzs) AS BIGINT)
FROM _paid
GROUP BY district_soato, month;
