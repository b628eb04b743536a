-- Mart mart_population_y: population estimates by district and year (the coverage denominators).
-- Grain: district_soato x year.
-- Reads: population
-- Key: district_soato, year
-- Parameters: none.
CREATE OR REPLACE TABLE mart_population_y AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato, CAST(year AS INTEGER) AS year,
       residents, women, youth, elderly, households, poor_households_est
FROM population;
