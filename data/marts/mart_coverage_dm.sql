-- mart_coverage_dm: targeting coverage by district and month.
-- Grain: every district of ref_districts x every month of _calendar x programme in
-- ('_all' = paid from any programme, 'child_allowance', 'material_assistance').
-- eligible_households: households eligible on any day of the month
--   (eligible_from <= month end and (eligible_to is empty or >= month start)), whatever
--   their current status; district = the household's district.
-- assisted_households: distinct households paid in the month (from the programme, or any for '_all').
-- assisted_eligible / assisted_not_eligible (inclusion): of those, eligible / not eligible in the month.
-- exclusion_gap = eligible_households - assisted_eligible.
-- poor_households_est: population of the month's year (the latest earlier year when that
--   year is missing; NULL when the district has no population row at or before it).
-- Parameters: none.
CREATE OR REPLACE TABLE mart_coverage_dm AS
WITH progs AS (
    SELECT unnest(['_all', 'child_allowance', 'material_assistance']) AS programme
),
grid AS (
    SELECT d.region_soato, d.district_soato, c.month, c.month_end, p.programme
    FROM ref_districts AS d CROSS JOIN _calendar AS c CROSS JOIN progs AS p
),
-- eligibility as +1 in the first eligible month and -1 in the month after the last
elig_delta AS (
    SELECT district_soato, month, sum(delta) AS delta
    FROM (
        SELECT district_soato, CAST(date_trunc('month', eligible_from) AS DATE) AS month, 1 AS delta
        FROM _hh WHERE eligible_from IS NOT NULL
        UNION ALL
        SELECT district_soato, CAST(date_trunc('month', eligible_to) + INTERVAL 1 MONTH AS DATE), -1
        FROM _hh WHERE eligible_from IS NOT NULL AND eligible_to IS NOT NULL
    )
    GROUP BY district_soato, month
),
eligible AS (
    SELECT c.month, e.district_soato, sum(e.delta) AS eligible_households
    FROM _calendar AS c JOIN elig_delta AS e ON e.month <= c.month
    GROUP BY c.month, e.district_soato
),
paid AS (
    SELECT district_soato, month, programme, hh_key FROM _paid
    WHERE programme IN ('child_allowance', 'material_assistance')
    UNION ALL
    SELECT DISTINCT district_soato, month, '_all', hh_key FROM _paid
),
assisted AS (
    SELECT p.district_soato, p.month, p.programme,
           count(*) AS assisted_households,
           count(*) FILTER (WHERE h.eligible_from IS NOT NULL
                              AND h.eligible_from <= CAST(p.month + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE)
                              AND (h.eligible_to IS NULL OR h.eligible_to >= p.month)) AS assisted_eligible
    FROM paid AS p JOIN _hh AS h USING (hh_key)
    GROUP BY p.district_soato, p.month, p.programme
)
SELECT g.region_soato, g.district_soato, g.month, g.programme,
       CAST(coalesce(e.eligible_households, 0) AS BIGINT) AS eligible_households,
       coalesce(a.assisted_households, 0) AS assisted_households,
       coalesce(a.assisted_eligible, 0) AS assisted_eligible,
       coalesce(a.assisted_households, 0) - coalesce(a.assisted_eligible, 0) AS assisted_not_eligible,
       CAST(coalesce(e.eligible_households, 0) - coalesce(a.assisted_eligible, 0) AS BIGINT) AS exclusion_gap,
       pop.poor_households_est
FROM grid AS g
LEFT JOIN eligible AS e ON e.district_soato = g.district_soato AND e.month = g.month
LEFT JOIN assisted AS a ON a.district_soato = g.district_soato AND a.month = g.month AND a.programme = g.programme
ASOF LEFT JOIN population AS pop ON pop.district_soato = g.district_soato AND year(g.month) >= pop.year;
