-- Macros shared by the page queries: who may see a row, which rows the filters select,
-- and the list of areas of a map or ranking. queries/runner.py creates them in the in-memory
-- database of every connection it opens (runner.open_warehouse; the warehouse stays
-- read-only and untouched), before any query runs; tests and the benchmark use it too.
-- Macros are expanded when a query is bound: DuckDB still folds the bound parameters, so
-- `in_area(region_soato, district_soato, '1703', [])` becomes the table filter
-- `region_soato = '1703'` (checked in tests/test_queries.py).

-- in_scope(reg, dist, scope_region, scope_district): TRUE when the viewer's scope (the bound
-- $scope_region / $scope_district, NULL = not restricted) includes the row's region and district.
CREATE OR REPLACE MACRO in_scope(reg, dist, scope_region, scope_district) AS
    (scope_region IS NULL OR reg = scope_region)
    AND (scope_district IS NULL OR dist = scope_district);

-- in_region_scope(reg, scope_region, scope_district): in_scope for a region row: TRUE when the
-- viewer's scope includes the region `reg` (a district scope: the district's region).
CREATE OR REPLACE MACRO in_region_scope(reg, scope_region, scope_district) AS
    (scope_region IS NULL OR reg = scope_region)
    AND (scope_district IS NULL OR reg = left(scope_district, 4));

-- in_area(reg, dist, region, districts): TRUE when the row is in the area of the shared
-- filters: region (NULL = all regions) and districts (empty list = all of the area).
CREATE OR REPLACE MACRO in_area(reg, dist, region, districts) AS
    (region IS NULL OR reg = region)
    AND (len(districts) = 0 OR list_contains(districts, dist));

-- in_view(reg, dist, scope_region, scope_district, region, districts): in_scope AND in_area, for a
-- query that applies both to every mart it scans.
CREATE OR REPLACE MACRO in_view(reg, dist, scope_region, scope_district, region, districts) AS
    in_scope(reg, dist, scope_region, scope_district) AND in_area(reg, dist, region, districts);

-- in_choice(code, choice): TRUE when the row's code (a daftar ...) is the one chosen in a filter
-- (NULL = every code).
CREATE OR REPLACE MACRO in_choice(code, choice) AS
    choice IS NULL OR code = choice;

-- area_key(level, reg, dist): the code a row is grouped under: its region ('region') or its
-- district (any other level).
CREATE OR REPLACE MACRO area_key(level, reg, dist) AS
    CASE WHEN level = 'region' THEN reg ELSE dist END;

-- areas(level, scope_region, scope_district, region, districts): one row per area of a map or
-- ranking (every region, or every district, of the area in scope, with no-activity areas
-- included): soato, region_soato, name_uz, name_uz_cyrl, name_ru, name_en.
CREATE OR REPLACE MACRO areas(level, scope_region, scope_district, region, districts) AS TABLE
    SELECT DISTINCT
           area_key(level, r.region_soato, d.district_soato) AS soato,
           r.region_soato,
           CASE WHEN level = 'region' THEN r.name_uz ELSE d.name_uz END AS name_uz,
           CASE WHEN level = 'region' THEN r.name_uz_cyrl ELSE d.name_uz_cyrl END AS name_uz_cyrl,
           CASE WHEN level = 'region' THEN r.name_ru ELSE d.name_ru END AS name_ru,
           CASE WHEN level = 'region' THEN r.name_en ELSE d.name_en END AS name_en
    FROM ref_districts d JOIN ref_regions r USING (region_soato)
    WHERE in_scope(d.region_soato, d.district_soato, scope_region, scope_district)
      AND in_area(d.region_soato, d.district_soato, region, districts);
