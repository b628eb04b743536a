-- Assistance paid (mart_recipients_dm) in a period against a comparison period.

-- recipients_compared(scope_region, scope_district, region, districts, chosen_programme,
--                     start_month, end_month, cmp_start, cmp_end):
-- one row per district of the selection (scope, area) paid by `chosen_programme` (a programme, or
-- all_key()) in either period: region_soato, district_soato, then amount_uzs (so'm paid) and
-- recipient_months (households paid, summed over the months) over [start_month, end_month],
-- households (distinct households paid in end_month), and the same for [cmp_start, cmp_end]
-- (amount_uzs_cmp, recipient_months_cmp, households_cmp). Sum them over any group of districts.
CREATE OR REPLACE MACRO recipients_compared(scope_region, scope_district, region, districts,
                                            chosen_programme, start_month, end_month,
                                            cmp_start, cmp_end) AS TABLE
    SELECT region_soato, district_soato,
           SUM(amount_uzs) FILTER (WHERE month BETWEEN start_month AND end_month) AS amount_uzs,
           SUM(households) FILTER (WHERE month BETWEEN start_month AND end_month) AS recipient_months,
           SUM(households) FILTER (WHERE month = end_month) AS households,
           SUM(amount_uzs) FILTER (WHERE month BETWEEN cmp_start AND cmp_end) AS amount_uzs_cmp,
           SUM(households) FILTER (WHERE month BETWEEN cmp_start AND cmp_end) AS recipient_months_cmp,
           SUM(households) FILTER (WHERE month = cmp_end) AS households_cmp
    FROM mart_recipients_dm
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
      AND programme = chosen_programme
      AND (month BETWEEN start_month AND end_month OR month BETWEEN cmp_start AND cmp_end)
    GROUP BY region_soato, district_soato;
