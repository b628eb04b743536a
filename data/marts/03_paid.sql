-- Helper (temporary table _paid): _paid_c without the channel.
-- Grain: district_soato x month x programme x hh_key (one row per household paid from a
-- programme in a month). Feeds the recipients and coverage marts.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid AS
SELECT district_soato, month, programme, hh_key,
       CAST(sum(payments) AS BIGINT) AS payments,
       CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
FROM _paid_c
GROUP BY district_soato, month, programme, hh_key;
