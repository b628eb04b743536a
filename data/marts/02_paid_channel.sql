-- Helper (temporary table _paid_c): payments folded to one row per household, month,
-- programme and channel, with the household's district (payments carry no district).
-- Grain: district_soato x month x programme x channel x hh_key. The payments table is
-- joined and scanned once here; every payment mart reads this or _paid.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid_c AS
SELECT h.district_soato,
       p.month,
       p.programme,
       p.channel,
       h.hh_key,
       count(*) AS payments,
       CAST(sum(p.amount_uzs) AS BIGINT) AS amount_uzs
FROM payments AS p
JOIN _hh AS h USING (household_id)
GROUP BY h.district_soato, p.month, p.programme, p.channel, h.hh_key;
