-- Helper _programmes: a small integer code (UTINYINT prog) for every programme paid.
-- Grain: one row per programme present in payments.
-- Reads: payments
-- Key: programme
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _programmes AS
SELECT programme, CAST(row_number() OVER (ORDER BY programme) AS UTINYINT) AS prog
FROM (SELECT DISTINCT programme FROM payments);
