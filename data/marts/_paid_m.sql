-- Helper _paid_m: households paid from any programme in a month, with elig as in _paid and
-- the month's amount. Feeds the all_key() rows of mart_recipients_dm, mart_recipients_dy and
-- mart_coverage_dm (distinct households = rows).
-- Grain: one row per household (with its district d_idx) paid in the month.
-- Reads: _paid
-- Key: hh_key, month
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid_m AS
SELECT d_idx, month, hh_key, bool_or(elig) AS elig, CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
FROM _paid
GROUP BY d_idx, month, hh_key;
