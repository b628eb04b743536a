-- Helper _districts_idx: a small integer code (SMALLINT d_idx) for every district with households.
-- The payment marts group ~100M rows by household, month and programme; with fixed-width
-- integer keys instead of strings the grouping is several times cheaper.
-- Grain: one row per district of households.
-- Reads: households
-- Key: district_soato
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _districts_idx AS
SELECT district_soato, CAST(row_number() OVER (ORDER BY district_soato) AS SMALLINT) AS d_idx
FROM (SELECT DISTINCT district_soato FROM households);
