-- Mart mart_payments_dm: payments by district, month, programme and channel.
-- Grain: district_soato x month x programme x channel (cells with no payment are absent).
-- households = distinct households paid in the cell through that channel (rows of _paid,
-- one per household, month and programme, with a count > 0 for the channel).
-- District = the household's district. Channels: data.domain.CHANNELS.
-- Reads: _paid, _districts_idx, _programmes
-- Key: district_soato, month, programme, channel
-- Parameters: none.
CREATE OR REPLACE TABLE mart_payments_dm AS
WITH cell AS (
    SELECT d_idx, month, prog, 'social_card' AS channel,
           sum(n_social_card) AS payments, sum(a_social_card) AS amount_uzs,
           count(*) FILTER (WHERE n_social_card > 0) AS households
    FROM _paid GROUP BY d_idx, month, prog
    UNION ALL
    SELECT d_idx, month, prog, 'bank_card',
           sum(n_bank_card), sum(a_bank_card), count(*) FILTER (WHERE n_bank_card > 0)
    FROM _paid GROUP BY d_idx, month, prog
    UNION ALL
    SELECT d_idx, month, prog, 'post_cash',
           sum(n_post_cash), sum(a_post_cash), count(*) FILTER (WHERE n_post_cash > 0)
    FROM _paid GROUP BY d_idx, month, prog
)
SELECT substr(d.district_soato, 1, 4) AS region_soato, d.district_soato, cell.month, g.programme,
       cell.channel,
       CAST(cell.payments AS BIGINT) AS payments,
       CAST(cell.amount_uzs AS BIGINT) AS amount_uzs,
       cell.households
FROM cell
JOIN _districts_idx AS d USING (d_idx)
JOIN _programmes AS g USING (prog)
WHERE cell.payments > 0;
