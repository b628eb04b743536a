-- Mart mart_daftar_help_dm: help given to daftar entries, by the month it was given.
-- Grain: district_soato x month (of assisted_on) x daftar x need_type x assistance_type.
-- assisted = entries with assisted_on in the month; amount_uzs = money given (empty amounts
-- count as 0); days_to_help_sum = sum of assisted_on - included_on.
-- Reads: daftar_entries
-- Key: district_soato, month, daftar, need_type, assistance_type
-- Parameters: none.
CREATE OR REPLACE TABLE mart_daftar_help_dm AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato,
       CAST(date_trunc('month', assisted_on) AS DATE) AS month,
       daftar, need_type, assistance_type,
       count(*) AS assisted,
       CAST(coalesce(sum(amount_uzs), 0) AS BIGINT) AS amount_uzs,
       CAST(sum(assisted_on - included_on) AS BIGINT) AS days_to_help_sum
FROM daftar_entries
WHERE assisted_on IS NOT NULL
GROUP BY ALL;
