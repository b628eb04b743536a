-- Helper (temporary table _paid): payments folded to one row per household,
-- programme and month, with the household's district (payments carry no district).
-- Grain: household_id x month x programme. Feeds the recipients and coverage marts,
-- so the 100M-row payments table is joined and folded once.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid AS
SELECT h.district_soato,
       p.month,
       p.programme,
       p.household_id,
       count(*) AS payments,
       CAST(sum(p.amount_uzs) AS BIGINT) AS amount_uzs
FROM payments AS p
JOIN households AS h USING (household_id)
GROUP BY h.district_soato, p.month, p.programme, p.household_id;
