-- Helper _paid: payments folded to one row per household, month and programme, keyed by
-- small integers (_hh, _programmes), with the split by channel kept as columns (payments
-- and amount per channel of data.domain.CHANNELS: social_card, bank_card, post_cash).
-- A household paid through two channels for the same programme and month stays one row, so
-- distinct households per channel are the rows with that channel's count > 0 -- one
-- 100M-row aggregate serves every payment mart.
-- elig: the household was eligible on some day of the month (eligible_from <= month end and
-- eligible_to empty or >= month start; a function of household and month).
-- Grain: one row per household (with its district d_idx), month and programme.
-- Reads: payments, _hh, _programmes
-- Key: hh_key, month, prog
-- Parameters: none.
CREATE OR REPLACE TEMP TABLE _paid AS
SELECT h.d_idx,
       p.month,
       g.prog,
       h.hh_key,
       coalesce(h.eligible_from <= CAST(p.month + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE)
                AND (h.eligible_to IS NULL OR h.eligible_to >= p.month), false) AS elig,
       count(*) AS payments,
       CAST(sum(p.amount_uzs) AS BIGINT) AS amount_uzs,
       count(*) FILTER (WHERE p.channel = 'social_card') AS n_social_card,
       CAST(coalesce(sum(p.amount_uzs) FILTER (WHERE p.channel = 'social_card'), 0) AS BIGINT) AS a_social_card,
       count(*) FILTER (WHERE p.channel = 'bank_card') AS n_bank_card,
       CAST(coalesce(sum(p.amount_uzs) FILTER (WHERE p.channel = 'bank_card'), 0) AS BIGINT) AS a_bank_card,
       count(*) FILTER (WHERE p.channel = 'post_cash') AS n_post_cash,
       CAST(coalesce(sum(p.amount_uzs) FILTER (WHERE p.channel = 'post_cash'), 0) AS BIGINT) AS a_post_cash
FROM payments AS p
JOIN _hh AS h USING (household_id)
JOIN _programmes AS g USING (programme)
GROUP BY ALL;
