-- Helper (temporary tables _hh, _districts_idx, _programmes): small integer codes.
-- Grain: _hh one row per household (dense INTEGER hh_key, SMALLINT district index d_idx);
-- _districts_idx one row per district; _programmes one row per programme present.
-- The payment marts group ~100M rows by household, month and programme; with fixed-width
-- integer keys instead of strings the grouping is several times cheaper.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _districts_idx AS
SELECT district_soato, CAST(row_number() OVER (ORDER BY district_soato) AS SMALLINT) AS d_idx
FROM (SELECT DISTINCT district_soato FROM households);

CREATE OR REPLACE TEMP TABLE _hh AS
SELECT h.household_id,
       CAST(row_number() OVER () AS INTEGER) AS hh_key,
       d.d_idx,
       h.district_soato,
       h.eligible_from,
       h.eligible_to
FROM households AS h
JOIN _districts_idx AS d USING (district_soato);

CREATE OR REPLACE TEMP TABLE _programmes AS
SELECT programme, CAST(row_number() OVER (ORDER BY programme) AS UTINYINT) AS prog
FROM (SELECT DISTINCT programme FROM payments);

