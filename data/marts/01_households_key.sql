-- Helper (temporary table _hh): households with a dense integer key.
-- Grain: one row per household. The payment marts group ~100M rows by household;
-- grouping by a 4-byte integer instead of the 13-character id is several times cheaper.
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _hh AS
SELECT household_id,
       CAST(row_number() OVER () AS INTEGER) AS hh_key,
       district_soato,
       eligible_from,
       eligible_to
FROM households;
