"""The extract's ``manifest.json`` (optional) and the snapshot date of a run.

The snapshot date is ``--snapshot-date`` when given (it overrides the manifest,
and the report notes the override), else the manifest's, else today. A
database source has no manifest.
"""
from __future__ import annotations

import datetime as dt
import json

from data import contract


class IngestError(Exception):
    """A problem that stops the run before any table is read (bad folder, date, lock, mart files)."""


def _parse_date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise IngestError(f"{what} '{value}' is not a date in the form YYYY-MM-DD.") from None


def read(run) -> None:
    """Read the optional ``manifest.json`` of ``run`` and fix ``run.snapshot`` / ``run.snapshot_from``."""
    if run.db_url:
        run.manifest_data = {"source": run.source_label}
    elif not run.src.is_dir():
        raise IngestError(f"The extract folder '{run.src}' does not exist or is not a folder.")
    mpath = run.src / "manifest.json" if run.src else None
    if mpath is not None and mpath.is_file():
        try:
            run.manifest_data = json.loads(mpath.read_text(encoding="utf-8-sig"))
            if not isinstance(run.manifest_data, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError) as exc:
            raise IngestError(f"manifest.json in '{run.src}' is not a valid JSON object ({exc}). "
                              f"Fix or remove it (it is optional) and run the ingest again.") from None
    written = run.manifest_data.get("snapshot_date")
    if run.snapshot_arg is not None:
        run.snapshot = _parse_date(run.snapshot_arg, "--snapshot-date")
        run.snapshot_from = "--snapshot-date"
        if written and str(written) != run.snapshot.isoformat():
            run.notes.append(f"--snapshot-date {run.snapshot} overrides manifest.json snapshot_date {written}.")
    elif written:
        run.snapshot = _parse_date(written, "manifest.json snapshot_date")
        run.snapshot_from = "manifest.json"
    else:
        run.snapshot = dt.date.today()
        run.snapshot_from = "today (no manifest.json snapshot_date, no --snapshot-date)"
    if run.snapshot < contract.DATE_MIN:
        raise IngestError(f"The snapshot date {run.snapshot} is before {contract.DATE_MIN}.")

