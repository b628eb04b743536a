-- The three levels of the district profile: the district, its region, the country.

-- profile_levels(district, scope_region, scope_district): one row per level of the profile of
-- `district` ('district', 'region', 'country'; ord 1..3), none when the viewer's scope excludes
-- the district; region_soato / district_soato: where a row must be to count at that level
-- (NULL = anywhere), for at_level(). The country level is still limited to the viewer's scope by
-- the in_scope() of each query.
CREATE OR REPLACE MACRO profile_levels(district, scope_region, scope_district) AS TABLE
    SELECT l.level, l.ord,
           CASE WHEN l.level <> 'country' THEN d.region_soato END AS region_soato,
           CASE WHEN l.level = 'district' THEN d.district_soato END AS district_soato
    FROM ref_districts d, (VALUES ('district', 1), ('region', 2), ('country', 3)) l(level, ord)
    WHERE d.district_soato = district
      AND in_scope(d.region_soato, d.district_soato, scope_region, scope_district);

-- at_level(reg, dist, level_region, level_district): TRUE when a row of region `reg` and
-- district `dist` counts at a level of profile_levels (its region_soato, district_soato).
CREATE OR REPLACE MACRO at_level(reg, dist, level_region, level_district) AS
    (level_region IS NULL OR reg = level_region)
    AND (level_district IS NULL OR dist = level_district);
