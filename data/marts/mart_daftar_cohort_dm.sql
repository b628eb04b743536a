-- Mart mart_daftar_cohort_dm: what became of the people included in a daftar in a month, by the end of the data.
-- Grain: district_soato x month (of included_on) x daftar.
-- The cohort of a month is the entries included in it. By the end of the data (the snapshot),
-- each entry of the cohort has reached stages: included (all), assessed (assessed_on or
-- assisted_on set: help implies an assessment), helped (assisted_on set); and stands in one
-- end state: helped, removed without help (removed_on set, assisted_on not), or still waiting
-- (neither). So included >= assessed >= helped, and included = helped + removed + waiting.
-- Reads: daftar_entries
-- Key: district_soato, month, daftar
-- Parameters: none.
CREATE OR REPLACE TABLE mart_daftar_cohort_dm AS
SELECT substr(district_soato, 1, 4) AS region_soato, district_soato,
       CAST(date_trunc('month', included_on) AS DATE) AS month, daftar,
       count(*) AS included,
       count(*) FILTER (WHERE assessed_on IS NOT NULL OR assisted_on IS NOT NULL) AS assessed,
       count(*) FILTER (WHERE assisted_on IS NOT NULL) AS helped,
       count(*) FILTER (WHERE assisted_on IS NULL AND removed_on IS NOT NULL) AS removed,
       count(*) FILTER (WHERE assisted_on IS NULL AND removed_on IS NULL) AS waiting
FROM daftar_entries
GROUP BY ALL;
