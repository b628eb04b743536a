-- Mart mart_workers_dm: social workers and mahalla coverage by Inson centre and month.
-- Grain: every centre of inson_centres x every month of _calendar.
-- workers_in_post: the centre's workers with hired_on <= month end and (left_on empty or
--   left_on > month end). mahallas_total: mahallas of the centre's district.
-- mahallas_with_worker: distinct mahallas of the centre's district assigned (worker_mahallas)
--   to at least one of the centre's workers in post at month end.
-- Reads: inson_centres, social_workers, worker_mahallas, mahallas, _calendar
-- Key: centre_id, month
-- Parameters: none.
CREATE OR REPLACE TABLE mart_workers_dm AS
WITH inpost AS (
    SELECT w.worker_id, w.centre_id, cal.month
    FROM social_workers AS w
    JOIN _calendar AS cal
      ON w.hired_on <= cal.month_end AND (w.left_on IS NULL OR w.left_on > cal.month_end)
),
workers AS (
    SELECT centre_id, month, count(*) AS workers_in_post FROM inpost GROUP BY ALL
),
covered AS (
    SELECT i.centre_id, i.month, count(DISTINCT wm.mahalla_id) AS mahallas_with_worker
    FROM inpost AS i
    JOIN worker_mahallas AS wm USING (worker_id)
    JOIN mahallas AS m ON m.mahalla_id = wm.mahalla_id
    JOIN inson_centres AS ic ON ic.centre_id = i.centre_id
    WHERE m.district_soato = ic.district_soato
    GROUP BY ALL
),
mtotal AS (
    SELECT district_soato, count(*) AS mahallas_total FROM mahallas GROUP BY ALL
)
SELECT substr(ic.district_soato, 1, 4) AS region_soato, ic.district_soato, ic.centre_id, cal.month,
       ic.is_pilot,
       coalesce(w.workers_in_post, 0) AS workers_in_post,
       coalesce(mt.mahallas_total, 0) AS mahallas_total,
       coalesce(cv.mahallas_with_worker, 0) AS mahallas_with_worker
FROM inson_centres AS ic
CROSS JOIN _calendar AS cal
LEFT JOIN workers AS w ON w.centre_id = ic.centre_id AND w.month = cal.month
LEFT JOIN covered AS cv ON cv.centre_id = ic.centre_id AND cv.month = cal.month
LEFT JOIN mtotal AS mt ON mt.district_soato = ic.district_soato;
