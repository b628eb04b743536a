-- The daftar registers for the shared filters: the rows of mart_daftar_dm and
-- mart_daftar_wait_hist in the viewer's scope (in_scope), the selected area (in_area), daftar
-- (in_choice; NULL = all four) and period. The bound values fold into table filters as in area.sql.

-- daftar_counts(scope_region, scope_district, region, districts, chosen_daftar, period_start, period_end):
-- one row per district × daftar with a row in the period or the month before it:
-- region_soato, district_soato, daftar, then the counts in the order the pages show
-- them: open_start (open at the end of the month before period_start); included, assessed,
-- assisted, removed (flows of the period); on_register, waiting_90, waiting_180 (stocks at the end
-- of period_end); days_to_help_sum (flow). A count is NULL where none of its months has a row.
-- Sum them over any grouping of districts or daftars.
CREATE OR REPLACE MACRO daftar_counts(scope_region, scope_district, region, districts, chosen_daftar,
                                      period_start, period_end) AS TABLE
    SELECT region_soato, district_soato, daftar,
           SUM(open_end) FILTER (WHERE month = (period_start - INTERVAL 1 MONTH)::DATE) AS open_start,
           SUM(included) FILTER (WHERE month >= period_start) AS included,
           SUM(assessed) FILTER (WHERE month >= period_start) AS assessed,
           SUM(assisted) FILTER (WHERE month >= period_start) AS assisted,
           SUM(removed) FILTER (WHERE month >= period_start) AS removed,
           SUM(open_end) FILTER (WHERE month = period_end) AS on_register,
           SUM(waiting_90) FILTER (WHERE month = period_end) AS waiting_90,
           SUM(waiting_180) FILTER (WHERE month = period_end) AS waiting_180,
           SUM(days_to_help_sum) FILTER (WHERE month >= period_start) AS days_to_help_sum
    FROM mart_daftar_dm
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
      AND in_choice(daftar, chosen_daftar)
      AND month BETWEEN (period_start - INTERVAL 1 MONTH)::DATE AND period_end
    GROUP BY region_soato, district_soato, daftar;

-- daftar_waits(scope_region, scope_district, region, districts, chosen_daftar, period_start, period_end):
-- the rows of mart_daftar_wait_hist (days from inclusion to help, per district × month helped ×
-- daftar × days: entries) of the selection helped in the period; for hist_median().
CREATE OR REPLACE MACRO daftar_waits(scope_region, scope_district, region, districts, chosen_daftar,
                                     period_start, period_end) AS TABLE
    SELECT *
    FROM mart_daftar_wait_hist
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
      AND in_choice(daftar, chosen_daftar)
      AND month BETWEEN period_start AND period_end;
