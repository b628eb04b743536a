-- Mart mart_registry_dm: who the Unified Social Registry holds per district at the snapshot
--   (the household make-up behind the need index).
-- Grain: district_soato x month (one month: the snapshot's).
-- households: registered on or before the snapshot date; members, children_under_18,
--   members_disabled: summed over them; households_with_children, households_with_disabled:
--   those with at least one; single_elderly: single elderly people living alone;
--   eligible_now: eligibility_status 'eligible'.
-- Reads: households
-- Key: district_soato, month
-- Parameters: $snapshot_date (DATE).
CREATE OR REPLACE TABLE mart_registry_dm AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato,
       CAST(date_trunc('month', $snapshot_date) AS DATE) AS month,
       count(*) AS households,
       sum(members) AS members,
       sum(children_under_18) AS children_under_18,
       count(*) FILTER (WHERE children_under_18 > 0) AS households_with_children,
       sum(members_disabled) AS members_disabled,
       count(*) FILTER (WHERE members_disabled > 0) AS households_with_disabled,
       count(*) FILTER (WHERE single_elderly) AS single_elderly,
       count(*) FILTER (WHERE eligibility_status = 'eligible') AS eligible_now
FROM households
WHERE registered_on <= $snapshot_date
GROUP BY district_soato;
