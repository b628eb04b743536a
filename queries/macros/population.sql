-- Population denominators (mart_population_y: one row per district × year).

-- population_year(at_month): the population year a month is read against: the latest year of
-- mart_population_y not after the month's year; the latest year held when every year is later
-- (a month before the first population year).
CREATE OR REPLACE MACRO population_year(at_month) AS (
    SELECT COALESCE(MAX(year) FILTER (WHERE year <= year(at_month)), MAX(year)) FROM mart_population_y
);

-- daftar_population(daftar, residents, women, youth, elderly): the population a daftar serves,
-- the denominator of its reach: women (ayollar), youth (yoshlar), the elderly (nuroniylar), all
-- residents (temir, and every daftar together: all_key() or NULL).
CREATE OR REPLACE MACRO daftar_population(daftar, residents, women, youth, elderly) AS
    CASE daftar WHEN 'ayollar' THEN women WHEN 'yoshlar' THEN youth WHEN 'nuroniylar' THEN elderly
                ELSE residents END;
