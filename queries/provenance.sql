-- Grain: one row. Provenance for the page header: snapshot date, source extract,
-- rows rejected at ingest (meta), and how many districts the viewer's scope holds.
-- Scope: rows (district rows: only those of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope; NULL = not restricted).
SELECT
    (SELECT max(value) FROM meta WHERE key = 'snapshot_date') AS snapshot_date,
    (SELECT max(value) FROM meta WHERE key = 'source') AS source,
    (SELECT max(value) FROM meta WHERE key = 'run_id') AS run_id,
    (SELECT max(value) FROM meta WHERE key = 'ingested_at') AS ingested_at,
    (SELECT max(TRY_CAST(value AS BIGINT)) FROM meta WHERE key = 'rows_read') AS rows_read,
    (SELECT max(TRY_CAST(value AS BIGINT)) FROM meta WHERE key = 'rows_rejected') AS rows_rejected,
    (SELECT count(*) FROM ref_districts
      WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
    ) AS districts_in_scope
