-- Helper (temporary table _paid_m): households paid from any programme in a month.
-- Grain: d_idx x month x hh_key (one row per household paid in the month), with elig
-- as in _paid and the month's amount. Feeds the '_all' rows of mart_recipients_dm and
-- mart_coverage_dm (distinct households = rows).
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid_m AS
SELECT d_idx, month, hh_key, bool_or(elig) AS elig, CAST(sum(amount_uzs) AS BIGINT) AS amount_uzs
FROM _paid
GROUP BY d_idx, month, hh_key;
