-- Helper _hh: every household with a dense INTEGER hh_key, its district code d_idx and its
-- eligibility period (the payment marts join ~100M payments to it once, in _paid).
-- Grain: one row per household.
-- Reads: households, _districts_idx
-- Key: household_id
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _hh AS
SELECT h.household_id,
       CAST(row_number() OVER () AS INTEGER) AS hh_key,
       d.d_idx,
       h.district_soato,
       h.eligible_from,
       h.eligible_to
FROM households AS h
JOIN _districts_idx AS d USING (district_soato);
