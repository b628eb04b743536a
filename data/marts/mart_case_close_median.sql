-- Mart mart_case_close_median: the median days to close a case (all service types together)
-- of the periods of _median_periods, per district and per region: what the map and the
-- ranking of the Inson page read for a period of the quick picks instead of summing
-- mart_case_close_hist_all over the period's months.
-- Grain: area_level ('district' | 'region') x soato x period (first_month .. month).
--   median_days_to_close = the lower median of the period's histogram, as hist_median()
--   reads it; districts or regions with no case closed in the period have no row.
-- Reads: mart_case_close_hist_all, _median_periods
-- Key: area_level, soato, first_month, month
-- Parameters: none.
CREATE OR REPLACE TABLE mart_case_close_median AS
WITH hist AS (
    SELECT CASE WHEN GROUPING(h.district_soato) = 0 THEN 'district' ELSE 'region' END AS level,
           h.region_soato, h.district_soato, p.first_month, p.month, h.days, SUM(h.cases) AS n
    FROM _median_periods p
    JOIN mart_case_close_hist_all h ON h.month BETWEEN p.first_month AND p.month
    GROUP BY GROUPING SETS ((p.first_month, p.month, h.region_soato, h.district_soato, h.days),
                            (p.first_month, p.month, h.region_soato, h.days))
), running AS (
    SELECT *, SUM(n) OVER (PARTITION BY level, region_soato, district_soato, first_month, month
                           ORDER BY days) AS below,
              SUM(n) OVER (PARTITION BY level, region_soato, district_soato, first_month, month) AS total
    FROM hist
)
SELECT level AS area_level, region_soato, district_soato, COALESCE(district_soato, region_soato) AS soato,
       first_month, month, CAST(MIN(days) FILTER (WHERE below >= total / 2.0) AS INTEGER) AS median_days_to_close
FROM running
GROUP BY ALL;
