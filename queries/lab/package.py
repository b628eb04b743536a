"""The open-data release: district × month indicators as a Frictionless Data Package
(``datapackage.json`` + CSV + README), with disclosure control applied (no Streamlit).

``python -m qamrov publish --out DIR`` (``qamrov/commands/publish.py``) calls :func:`write`
with the labels of the three languages and validates the result with ``frictionless``.

Disclosure (:mod:`queries.disclosure`, the one suppression function): every count of people
or households in (0, ``MIN_CELL``) is published as ``<10`` (declared a missing value of its
field), and so is every share built on it. No published set of columns adds up to another
(the daftar and Inson flows whose month-end stock identities would give the third away are
left out: only one flow beside each stock), and a count that contains another published one
(``assisted_households`` ⊇ ``assisted_eligible``) is withheld too when their difference is
small. The districts of a region add up, month by month, to the region's figure, which the
dashboard and the statistics agency publish: complementary suppression
(:func:`queries.disclosure.protect`) withholds more cells (``×``) so that no hidden count can be
recomputed or narrowed from the region totals, and :func:`audit` checks it with the same linear
programs as the dashboard's tables (``Table.audit``). A payment amount takes the status of the
households it was paid to.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from queries import disclosure

RESOURCE = "district_month"
#: How a cell withheld to protect another reads (as on the dashboard's screens and exports).
WITHHELD = "×"
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


def protected(rows: pd.DataFrame, k: int | None = None) -> pd.DataFrame:
    """``rows`` with the disclosure status of every count (``_sdc_<field>``: 0 published,
    1 small, 2 withheld to protect another): primary suppression, a contained count withheld
    with a small difference, then complementary suppression along the region × month lines."""
    k = disclosure.min_cell() if k is None else k
    counts = [f.name for f in FIELDS if f.kind == "count"]
    disclosure.register_counts(counts)
    extra = pd.DataFrame({f.name: disclosure.small(rows[f.name] - rows[f.within], k)
                          for f in FIELDS if f.within}, index=rows.index)
    return disclosure.protect(rows, "rows", k, hidden=extra)


def audit(rows: pd.DataFrame, k: int | None = None) -> list[dict]:
    """The LP audit of the release: every hidden count whose possible values, given every
    published cell and the region totals, span less than the protection width (empty = safe).
    A region's month is a table of its own (no line crosses two), so each is audited alone:
    the same answer as one program over the whole release, in a fraction of the time."""
    prot = protected(rows, k).reset_index(drop=True)
    out = []
    for _, block in prot.groupby(["region_soato", "month"], sort=False):
        for a in disclosure.audit_frame(block.reset_index(drop=True), "rows", k):
            out.append({**a, "row": int(block.index[a["row"]])})
    return out


def published(rows: pd.DataFrame, k: int | None = None) -> pd.DataFrame:
    """The table as released: small counts and the shares built on them replaced by ``<k``,
    counts withheld to protect them by ``×`` (:func:`protected`), shares rounded to four
    decimals; columns in :data:`FIELDS` order."""
    k = disclosure.min_cell() if k is None else k
    mark = f"<{k}"
    prot = protected(rows, k)
    status = {f.name: prot[disclosure.STATUS + f.name].to_numpy() for f in FIELDS if f.kind == "count"}
    kinds = {f.name: f.kind for f in FIELDS}
    out = {}
    for f in FIELDS:
        if f.kind == "share":
            den = rows[f.denominator].astype("float64")
            v = (rows[f.numerator].astype("float64") / den.where(den > 0)).round(4)
            parts = [status[c] for c in (f.numerator, f.denominator) if kinds[c] == "count"]
            none = np.zeros(len(rows), dtype=bool)
            small = pd.Series(np.logical_or.reduce([p == disclosure.PRIMARY for p in parts] + [none]), index=rows.index)
            held = pd.Series(np.logical_or.reduce([p != disclosure.PUBLISHED for p in parts] + [none]), index=rows.index)
            out[f.name] = v.astype(object).where(v.notna() | held, None).where(~held, WITHHELD).where(~small, mark)
        elif f.kind == "count":
            st = pd.Series(status[f.name], index=rows.index)
            out[f.name] = rows[f.name].astype("int64").astype(object).where(
                st == disclosure.PUBLISHED, WITHHELD).where(st != disclosure.PRIMARY, mark)
        elif f.kind == "money":
            st = pd.Series(status["assisted_households"], index=rows.index)
            out[f.name] = rows[f.name].astype(object).where(st == disclosure.PUBLISHED, WITHHELD)
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
            d["missingValues"] = ["", f"<{k}", WITHHELD]
        if f.kind == "money":
            d["missingValues"] = ["", WITHHELD]
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
    withheld = int((table.astype(str) == WITHHELD).to_numpy().sum())
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
                     "withheld_cells": withheld,
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
            hidden = table[f.numerator].astype(str).isin([f"<{k}", WITHHELD])
            if (hidden & col.notna()).any():
                bad.append(f"{f.name}: published where {f.numerator} is suppressed")
        if f.within:
            both = pd.to_numeric(table[f.name], errors="coerce") - pd.to_numeric(table[f.within], errors="coerce")
            if disclosure.small(both.fillna(0).to_numpy(), k).any():
                bad.append(f"{f.name} - {f.within}: a difference below {k} can be read")
    return bad

