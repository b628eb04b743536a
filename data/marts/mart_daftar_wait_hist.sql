-- Mart mart_daftar_wait_hist: distribution of days from inclusion to help (for medians).
-- Grain: district_soato x month (of assisted_on) x daftar x days (assisted_on - included_on,
--   capped at days_cap() = 366: 366 means "366 or more").
-- Reads: daftar_entries
-- Key: district_soato, month, daftar, days
-- Parameters: none.
CREATE OR REPLACE TABLE mart_daftar_wait_hist AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato,
       CAST(date_trunc('month', assisted_on) AS DATE) AS month,
       daftar,
       CAST(least(assisted_on - included_on, days_cap()) AS INTEGER) AS days,
       count(*) AS entries
FROM daftar_entries
WHERE assisted_on IS NOT NULL
GROUP BY ALL;
