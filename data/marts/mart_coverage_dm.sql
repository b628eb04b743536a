-- Mart mart_coverage_dm: targeting coverage by district, month and programme.
-- Grain: every district of ref_districts x every month of _calendar x programme in
--   (targeted_key() = '_targeted', paid from any targeted low-income programme of the Unified
--   Social Registry, i.e. child_allowance OR material_assistance; all_key() = '_all', paid from
--   any programme, including non-targeted benefits such as pensions, disability and maternity;
--   'child_allowance'; 'material_assistance').
-- eligible_households: households eligible on any day of the month
--   (eligible_from <= month end and (eligible_to is empty or >= month start)), whatever
--   their current status; district = the household's district.
-- assisted_households: distinct households paid in the month (from the programme; from either
--   targeted programme for '_targeted' (a household paid from both counts once); from any for '_all').
-- assisted_eligible / assisted_not_eligible (inclusion): of those, eligible / not eligible in the month.
-- exclusion_gap = eligible_households - assisted_eligible.
-- poor_households_est: population of the month's year (the latest earlier year when that
--   year is missing; NULL when the district has no population row at or before it).
-- Reads: ref_districts, _calendar, _hh, _paid, _paid_m, _programmes, _districts_idx, population
-- Key: district_soato, month, programme
-- Parameters: none.
CREATE OR REPLACE TABLE mart_coverage_dm AS
WITH progs AS (
    SELECT unnest(list_concat([targeted_key(), all_key()], targeted_programmes())) AS programme
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
assisted AS (
    SELECT d.district_soato, p.month, g.programme,
           count(*) AS assisted_households,
           count(*) FILTER (WHERE p.elig) AS assisted_eligible
    FROM _paid AS p
    JOIN _programmes AS g USING (prog)
    JOIN _districts_idx AS d USING (d_idx)
    WHERE list_contains(targeted_programmes(), g.programme)
    GROUP BY d.district_soato, p.month, g.programme
    UNION ALL
    -- targeted_key(): a household paid from both targeted programmes in a month counts once
    SELECT d.district_soato, p.month, targeted_key(),
           count(DISTINCT p.hh_key),
           count(DISTINCT p.hh_key) FILTER (WHERE p.elig)
    FROM _paid AS p
    JOIN _programmes AS g USING (prog)
    JOIN _districts_idx AS d USING (d_idx)
    WHERE list_contains(targeted_programmes(), g.programme)
    GROUP BY d.district_soato, p.month
    UNION ALL
    SELECT d.district_soato, p.month, all_key(),
           count(*),
           count(*) FILTER (WHERE p.elig)
    FROM _paid_m AS p
    JOIN _districts_idx AS d USING (d_idx)
    GROUP BY d.district_soato, p.month
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
