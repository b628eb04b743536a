-- Mart mart_centres: the Inson centres and when they opened (the adoption dates of the pilot
--   evaluation).
-- Grain: one row per centre of inson_centres; month = the month it opened.
-- Reads: inson_centres
-- Key: centre_id
-- Parameters: none.
CREATE OR REPLACE TABLE mart_centres AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato, centre_id,
       CAST(date_trunc('month', opened_on) AS DATE) AS month, opened_on, is_pilot
FROM inson_centres;
