-- mart_payments_dm: payments by district, month, programme and channel.
-- Grain: district_soato x month x programme x channel (cells with no payment are absent).
-- households = distinct households paid in the cell. District = the household's district.
-- Parameters: none.
CREATE OR REPLACE TABLE mart_payments_dm AS
SELECT substr(h.district_soato, 1, 4) AS region_soato,
       h.district_soato,
       p.month,
       p.programme,
       p.channel,
       count(*) AS payments,
       CAST(sum(p.amount_uzs) AS BIGINT) AS amount_uzs,
       count(DISTINCT p.household_id) AS households
FROM payments AS p
JOIN households AS h USING (household_id)
GROUP BY h.district_soato, p.month, p.programme, p.channel;
