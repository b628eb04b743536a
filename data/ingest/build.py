"""Build the warehouse of an accepted extract beside the validated raw tables.

In order: the reference geography (``ref_regions``, ``ref_districts``), the
bookkeeping (``meta``, ``quarantine``, ``dq_report``), ``worker_mahallas``
(``social_workers.mahalla_ids`` exploded), then the marts and their helpers in
dependency order (:mod:`data.ingest.marts`), stored sorted by time and place.
Tables and columns: ``data/WAREHOUSE.md``.
"""
from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from data import contract
from data.ingest import marts

if TYPE_CHECKING:  # pragma: no cover
    from data.ingest.run import Run

REF_DISTRICT_COLUMNS = ["district_soato", "region_soato", "kind", "name_uz", "name_uz_cyrl", "name_ru",
                        "name_en", "center_lat", "center_lon"]


def reference_tables(con) -> None:
    """``ref_regions``, ``ref_districts`` (the 205 coded units) and ``ref_district_access`` (their
    remoteness and rural share) from :mod:`data.reference`."""
    import pyarrow as pa

    from data import reference
    con.register("_regions_df", pa.Table.from_pandas(reference.regions(), preserve_index=False))
    con.register("_districts_df", pa.Table.from_pandas(reference.districts()[REF_DISTRICT_COLUMNS],
                                                       preserve_index=False))
    con.execute("CREATE TABLE ref_regions AS SELECT region_soato, iso_3166_2, hasc, name_uz, name_uz_cyrl, "
                "name_ru, name_en FROM _regions_df ORDER BY region_soato")
    con.execute("CREATE TABLE ref_districts AS SELECT district_soato, region_soato, kind, name_uz, name_uz_cyrl, "
                "name_ru, name_en, CAST(center_lat AS DOUBLE) AS center_lat, CAST(center_lon AS DOUBLE) AS "
                "center_lon FROM _districts_df ORDER BY district_soato")
    con.unregister("_regions_df")
    con.unregister("_districts_df")
    from data.reference.access import access_table
    con.register("_access_df", pa.Table.from_pandas(access_table(), preserve_index=False))
    con.execute("CREATE TABLE ref_district_access AS SELECT district_soato, region_soato, admin_centre, "
                "CAST(remoteness_km AS DOUBLE) AS remoteness_km, remoteness_source, "
                "CAST(rural_share AS DOUBLE) AS rural_share, rural_share_source FROM _access_df "
                "ORDER BY district_soato")
    con.unregister("_access_df")


def bookkeeping_tables(run: Run) -> None:
    """``meta`` (one row per key), ``quarantine`` (this run's rejected rows) and ``dq_report``."""
    con = run.con
    meta = {
        "snapshot_date": run.snapshot.isoformat(),
        "source": str(run.manifest_data.get("source", run.src.name if run.src else run.source_label)),
        "run_id": run.run_id,
        "ingested_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "rows_read": str(sum(c["read"] for c in run.counts.values())),
        "rows_rejected": str(sum(c["rejected"] for c in run.counts.values())),
        "scale": str(run.manifest_data.get("scale", "")),
    }
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
    con.execute("CREATE TABLE quarantine AS SELECT $r AS run_id, table_name, file, _row AS row_number, rule, "
                "reason, row_json FROM _quarantine ORDER BY table_name, _row, rule", {"r": run.run_id})
    dq = []
    for table in contract.LOAD_ORDER:
        c = run.counts[table]
        counts = {"_read": c["read"], "_accepted": c["accepted"], "_rejected": c["rejected"],
                  **run.per_rule.get(table, {})}
        dq += [(run.run_id, table, c["file"], rule, n) for rule, n in counts.items()]
    con.execute("CREATE TABLE dq_report (run_id VARCHAR, table_name VARCHAR, file VARCHAR, rule VARCHAR, "
                "rows BIGINT)")
    con.executemany("INSERT INTO dq_report VALUES (?, ?, ?, ?, ?)", dq)


def build_warehouse(run: Run) -> None:
    """Every table of ``data/WAREHOUSE.md`` beyond the raw ones, on ``run.con``."""
    con = run.con
    t0 = time.perf_counter()
    run.pause("marts")
    run.progress.begin("reference and bookkeeping tables")
    reference_tables(con)
    bookkeeping_tables(run)
    con.execute("CREATE TABLE worker_mahallas AS SELECT DISTINCT worker_id, trim(m) AS mahalla_id "
                "FROM social_workers, unnest(string_split(mahalla_ids, ';')) AS u(m) WHERE trim(m) <> '' "
                "ORDER BY worker_id, mahalla_id")
    run.timed("reference+meta", t0)
    marts.build(con, {"snapshot_date": run.snapshot}, run.timed, begin=run.progress.begin)
    run.progress.begin("sort the marts by time and place")
    t0 = time.perf_counter()
    marts.sort_marts(con)
    run.timed("marts:sort", t0)
