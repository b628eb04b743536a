-- Mart mart_daftar_wait_median: the median days from inclusion to help of the periods of
-- _median_periods, per district and per region, each daftar and the four together
-- (daftar = '_all'): what the map and the ranking of the daftar page read for a period of
-- the quick picks instead of summing mart_daftar_wait_hist over the period's months.
-- Grain: area_level ('district' | 'region') x soato x daftar x period (first_month .. month).
--   median_days_to_help = the lower median of the period's histogram, as hist_median()
--   (queries/macros/histogram.sql) reads it: the smallest days whose running count reaches
--   half of the count; districts or regions with no one helped in the period have no row.
-- Reads: mart_daftar_wait_hist, _median_periods
-- Key: area_level, soato, daftar, first_month, month
-- Parameters: none.
CREATE OR REPLACE TABLE mart_daftar_wait_median AS
WITH hist AS (
    SELECT CASE WHEN GROUPING(h.district_soato) = 0 THEN 'district' ELSE 'region' END AS level,
           h.region_soato, h.district_soato, COALESCE(h.daftar, all_key()) AS daftar,
           p.first_month, p.month, h.days, SUM(h.entries) AS n
    FROM _median_periods p
    JOIN mart_daftar_wait_hist h ON h.month BETWEEN p.first_month AND p.month
    GROUP BY GROUPING SETS ((p.first_month, p.month, h.region_soato, h.district_soato, h.daftar, h.days),
                            (p.first_month, p.month, h.region_soato, h.district_soato, h.days),
                            (p.first_month, p.month, h.region_soato, h.daftar, h.days),
                            (p.first_month, p.month, h.region_soato, h.days))
), running AS (
    SELECT *, SUM(n) OVER (PARTITION BY level, region_soato, district_soato, daftar, first_month, month
                           ORDER BY days) AS below,
              SUM(n) OVER (PARTITION BY level, region_soato, district_soato, daftar, first_month, month) AS total
    FROM hist
)
SELECT level AS area_level, region_soato, district_soato, COALESCE(district_soato, region_soato) AS soato, daftar,
       first_month, month, CAST(MIN(days) FILTER (WHERE below >= total / 2.0) AS INTEGER) AS median_days_to_help
FROM running
GROUP BY ALL;
