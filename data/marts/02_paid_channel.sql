-- Helper (temporary table _paid_c): payments folded to one row per household, month,
-- programme and channel, keyed by small integers (see 01_households_key.sql).
-- Grain: d_idx x month x prog x chan x hh_key. The payments table is joined and
-- scanned once here; every payment mart reads this or _paid.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid_c AS
SELECT h.d_idx,
       p.month,
       g.prog,
       c.chan,
       h.hh_key,
       count(*) AS payments,
       CAST(sum(p.amount_uzs) AS BIGINT) AS amount_uzs
FROM payments AS p
JOIN _hh AS h USING (household_id)
JOIN _programmes AS g USING (programme)
JOIN _channels AS c USING (channel)
GROUP BY h.d_idx, p.month, g.prog, c.chan, h.hh_key;
