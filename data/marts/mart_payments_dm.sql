-- mart_payments_dm: payments by district, month, programme and channel.
-- Grain: district_soato x month x programme x channel (cells with no payment are absent).
-- households = distinct households paid in the cell (rows of _paid_c, which has one row
-- per household in the cell). District = the household's district.
-- Parameters: none.
CREATE OR REPLACE TABLE mart_payments_dm AS
SELECT substr(district_soato, 1, 4) AS region_soato,
       district_soato,
       month,
       programme,
       channel,
       CAST(sum(payments) AS BIGINT) AS payments,
       CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs,
       count(*) AS households
FROM _paid_c
GROUP BY district_soato, month, programme, channel;
