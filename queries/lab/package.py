"""The open-data release: district × month indicators as a Frictionless Data Package
(``datapackage.json`` + CSV + README), with disclosure control applied (no Streamlit).

``python -m qamrov publish --out DIR`` (``qamrov/commands/publish.py``) calls :func:`write`
with the labels of the three languages and validates the result with ``frictionless``.

Disclosure (:mod:`queries.disclosure`, the one suppression function): every count of people
or households in (0, ``MIN_CELL``) is published as ``<10`` (declared a missing value of its
field), and so is every share built on it. No published set of columns adds up to another
(the daftar and Inson flows whose month-end stock identities would give the third away are
left out: only one flow beside each stock), and a count that contains another published one
(``assisted_households`` ⊇ ``assisted_eligible``) is suppressed too when their difference is
small, so a suppressed count cannot be recomputed from the published ones.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from queries import disclosure

RESOURCE = "district_month"
LANGS = ("uz", "ru", "en")


@dataclass(frozen=True)
class Field:
    """A published column: ``kind`` ``count`` (people or households: suppressed when small),
    ``int`` (not people: never suppressed), ``money``, ``share`` (``numerator`` ÷
    ``denominator``, hidden with either), ``text``, ``code`` or ``month``. ``within``: a
    published count this one contains (suppressed too when the difference is small)."""

    name: str
    kind: str
    numerator: str | None = None
    denominator: str | None = None
    within: str | None = None


FIELDS: tuple[Field, ...] = (
    Field("district_soato", "code"), Field("region_soato", "code"), Field("name_uz", "text"),
    Field("name_ru", "text"), Field("name_en", "text"), Field("month", "month"),
    Field("eligible_households", "count"), Field("assisted_eligible", "count"),
    Field("coverage_registry", "share", "assisted_eligible", "eligible_households"),
    Field("assisted_households", "count", within="assisted_eligible"), Field("amount_uzs", "money"),
    Field("daftar_assisted", "count"), Field("daftar_open", "count"),
    Field("workers_in_post", "int"), Field("open_cases", "count"),
    Field("caseload", "share", "open_cases", "workers_in_post"),
)
TYPES = {"code": "string", "text": "string", "month": "date", "count": "integer", "int": "integer",
         "money": "integer", "share": "number"}


def published(rows: pd.DataFrame, k: int | None = None) -> pd.DataFrame:
    """The table as released: counts in (0, k) and the shares built on them replaced by ``<k``
    (text), shares rounded to four decimals; columns in :data:`FIELDS` order."""
    k = disclosure.min_cell() if k is None else k
    mark = f"<{k}"
    masks = disclosure.Masks(rows, k)
    out = {}
    for f in FIELDS:
        if f.kind == "share":
            den = rows[f.denominator].astype("float64")
            v = (rows[f.numerator].astype("float64") / den.where(den > 0)).round(4)
            hide = masks.any([c for c in (f.numerator, f.denominator)
                              if next(x for x in FIELDS if x.name == c).kind == "count"])
            out[f.name] = v.astype(object).where(~hide, mark).where(v.notna() | hide, None)
        elif f.kind == "count":
            hide = masks[f.name]
            if f.within:
                hide = hide | disclosure.small(rows[f.name] - rows[f.within], k)
            out[f.name] = rows[f.name].astype("int64").astype(object).where(~hide, mark)
        elif f.kind == "month":
            out[f.name] = pd.to_datetime(rows[f.name]).dt.strftime("%Y-%m-%d")
        else:
            out[f.name] = rows[f.name]
    return pd.DataFrame(out)


def schema(labels: dict[str, dict[str, str]], k: int) -> dict:
    """The Table Schema of the resource; ``labels[field][lang]`` titles (``title`` in English,
    ``titles`` with the three languages, ``description`` from ``labels[field]['description']``)."""
    fields = []
    for f in FIELDS:
        lab = labels.get(f.name, {})
        d = {"name": f.name, "type": TYPES[f.kind], "title": lab.get("en", f.name),
             "titles": {lang: lab.get(lang, f.name) for lang in LANGS}}
        if lab.get("description"):
            d["description"] = lab["description"]
        if f.kind in ("count", "share"):
            d["missingValues"] = ["", f"<{k}"]
        if f.kind in ("count", "int", "money"):
            d["constraints"] = {"minimum": 0}
        if f.kind == "code":
            d["constraints"] = {"required": True, "pattern": r"\d{7}" if f.name == "district_soato" else r"\d{4}"}
        fields.append(d)
    return {"fields": fields, "primaryKey": ["district_soato", "month"], "missingValues": [""]}


def write(rows: pd.DataFrame, out: Path, *, labels: dict[str, dict[str, str]], meta: dict, readme: str,
          licence: dict, k: int | None = None) -> Path:
    """Write ``<out>/district_month.csv``, ``datapackage.json`` and ``README.md``; returns the
    descriptor's path.

    Parameters
    ----------
    rows : DataFrame
        ``queries/publish_district_month.sql``.
    labels : dict
        Field → ``{"uz", "ru", "en", "description"}``.
    meta : dict
        ``snapshot_date``, ``source``, ``title`` (``{lang: text}``), ``description``.
    readme : str
        The README text.
    licence : dict
        ``name``, ``path``, ``title`` of the data licence.
    """
    k = disclosure.min_cell() if k is None else k
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table = published(rows, k)
    table.to_csv(out / f"{RESOURCE}.csv", index=False, encoding="utf-8", lineterminator="\n")
    suppressed = int((table.astype(str) == f"<{k}").to_numpy().sum())
    months = pd.to_datetime(rows["month"])
    descriptor = {
        "profile": "tabular-data-package",
        "name": "qamrov-district-month",
        "title": meta["title"]["en"],
        "titles": meta["title"],
        "description": meta["description"],
        "version": str(meta["snapshot_date"]),
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "licenses": [licence],
        "sources": [{"title": str(meta["source"])}],
        "keywords": ["social protection", "Uzbekistan", "districts", "open data"],
        "x_qamrov": {"snapshot_date": str(meta["snapshot_date"]), "min_cell": k, "suppressed_cells": suppressed,
                     "months": [str(months.min().date()) if len(rows) else None,
                                str(months.max().date()) if len(rows) else None],
                     "districts": int(rows["district_soato"].nunique())},
        "resources": [{
            "name": RESOURCE, "path": f"{RESOURCE}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": labels.get("_resource", {}).get("en", RESOURCE),
            "schema": schema(labels, k),
        }],
    }
    (out / "README.md").write_text(readme, encoding="utf-8")
    path = out / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def validate(path: Path) -> tuple[bool, list[str]]:
    """Validate the data package with ``frictionless``: (valid, error messages)."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(path)).validate()
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + \
             [f"{e.type}: {e.message}" for e in report.errors]
    return bool(report.valid), errors


def recoverable(table: pd.DataFrame, k: int) -> list[str]:
    """Self-check of a released table: the cells that give away a count in (0, k) — a count
    column holding one, or a share whose count is hidden but whose other part and value
    are both published. Empty when the release is safe by these rules."""
    bad = []
    for f in FIELDS:
        col = pd.to_numeric(table[f.name], errors="coerce") if f.kind in ("count", "share") else None
        if f.kind == "count" and disclosure.small(col.fillna(0).to_numpy(), k).any():
            bad.append(f"{f.name}: a count below {k} is published")
        if f.kind == "share":
            hidden = table[f.numerator].astype(str) == f"<{k}"
            if (hidden & col.notna()).any():
                bad.append(f"{f.name}: published where {f.numerator} is suppressed")
        if f.within:
            both = pd.to_numeric(table[f.name], errors="coerce") - pd.to_numeric(table[f.within], errors="coerce")
            if disclosure.small(both.fillna(0).to_numpy(), k).any():
                bad.append(f"{f.name} - {f.within}: a difference below {k} can be read")
    return bad

