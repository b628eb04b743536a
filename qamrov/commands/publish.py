"""``python -m qamrov publish --out DIR``: the open-data release — district × month indicators as a
Frictionless Data Package (``datapackage.json`` + CSV + README) with disclosure control applied
(:mod:`queries.lab.package`), validated with ``frictionless`` before it is called done."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qamrov.command import Command

PROG = "python -m qamrov publish"
EXAMPLE = f"{PROG} --out data/open --from 2019-01 --to 2025-12"
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=PROG, epilog=f"Example: {EXAMPLE}",
        description="Write the district x month indicators (coverage, assisted households, volume, daftar reach, "
                    "Inson workload) as a Frictionless Data Package with labels in Uzbek, Russian and English; "
                    "counts of fewer than MIN_CELL people or households are suppressed. The package is "
                    "validated with frictionless and checked for recoverable suppressed cells; exit 1 if either fails.")
    ap.add_argument("--out", required=True, metavar="DIR", help="folder to write (created; its package files replaced)")
    ap.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month (default: the first in the warehouse)")
    ap.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month (default: the snapshot month)")
    ap.add_argument("--warehouse", metavar="PATH", help="warehouse file (default: the WAREHOUSE setting)")
    ap.add_argument("--licence", choices=list(LICENCES), default="CC-BY-4.0", help="data licence (CC-BY-4.0)")
    return ap


def run(argv: list[str]) -> int:
    from data.months import parse_month
    ap = _parser()
    a = ap.parse_args(argv)
    months = {}
    for opt, text in (("--from", a.start), ("--to", a.end)):
        if text is not None and parse_month(text) is None:
            ap.error(f"{opt} {text!r} is not a month: write YYYY-MM, e.g. {EXAMPLE}")
        months[opt] = parse_month(text) if text else None
    from queries import disclosure, runner
    from queries.errors import QueryError, WarehouseUnavailable
    from queries.lab import package
    try:
        con = runner.connect(runner.warehouse_key(a.warehouse))
        scope = runner.Scope.national()
        bounds = runner.execute(con, "months", scope).iloc[0]
        prov = runner.execute(con, "provenance", scope).iloc[0]
        start = months["--from"] or bounds["first_month"]
        end = months["--to"] or bounds["last_month"]
        rows = runner.execute(con, "publish_district_month", scope, start=start, end=end)
    except (WarehouseUnavailable, QueryError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    if rows.empty:
        print(f"{PROG}: the warehouse holds no district months between {start} and {end}", file=sys.stderr)
        return 1
    k = disclosure.min_cell()
    labels = field_labels()
    name, url = LICENCES[a.licence]
    meta = {"snapshot_date": prov.get("snapshot_date"), "source": prov.get("source"),
            "title": {lang: labels["_package"][lang] for lang in package.LANGS},
            "description": labels["_package"]["description"]}
    try:
        path = package.write(rows, Path(a.out), labels=labels, meta=meta, k=k,
                             licence={"name": a.licence, "title": name, "path": url},
                             readme=readme(labels, meta, a.licence, name, url, k, start, end))
    except OSError as exc:
        print(f"{PROG}: cannot write {a.out}: {exc}", file=sys.stderr)
        return 1
    import pandas as pd
    table = pd.read_csv(path.parent / f"{package.RESOURCE}.csv", dtype=str, keep_default_na=False)
    leaks = package.recoverable(table, k)
    narrow = package.audit(rows, k)
    leaks += [f"{rows['district_soato'].iloc[a['row']]} {rows['month'].iloc[a['row']]} {a['column']}: "
              f"only {a['low']:g}..{a['high']:g} possible" for a in narrow]
    valid, errors = package.validate(path)
    print(f"wrote {path} ({len(rows):,} district-months, {rows['district_soato'].nunique()} districts, "
          f"{start:%Y-%m} .. {end:%Y-%m}; counts below {k} suppressed)")
    print("frictionless validate: " + ("valid" if valid else "INVALID"))
    for e in errors[:20]:
        print(f"  {e}")
    print(f"disclosure: {int((table == f'<{k}').to_numpy().sum()):,} small counts, "
          f"{int((table == package.WITHHELD).to_numpy().sum()):,} cells withheld to protect them; "
          "LP audit over the region totals: " + ("every hidden count open by at least half the threshold"
                                                  if not narrow else f"{len(narrow)} too narrow"))
    print("disclosure self-check: " + ("no suppressed cell recoverable" if not leaks else "FAILED"))
    for leak in leaks:
        print(f"  {leak}")
    return 0 if valid and not leaks else 1


def field_labels() -> dict[str, dict[str, str]]:
    """Each field's title in the three languages and its English description (``publish`` catalogue)."""
    from queries.lab import package
    from ui.i18n import t
    out = {}
    for f in [x.name for x in package.FIELDS] + ["_package", "_resource"]:
        key = f"publish.field.{f}"
        out[f] = {lang: t(key, lang) for lang in package.LANGS} | {"description": t(f"{key}.description", "en")}
    return out


def readme(labels, meta, licence: str, name: str, url: str, k: int, start, end) -> str:
    """The package's README: what it holds, each field's definition and labels, snapshot, licence."""
    from queries.lab import package
    rows = "\n".join(f"| `{f.name}` | {labels[f.name]['uz']} | {labels[f.name]['ru']} | {labels[f.name]['en']} | "
                     f"{labels[f.name]['description']} |" for f in package.FIELDS)
    return f"""# {meta['title']['en']}

{meta['title']['uz']} · {meta['title']['ru']}

{meta['description']}

* **Snapshot:** {meta['snapshot_date']} (source: {meta['source']}); months {start:%Y-%m} to {end:%Y-%m}.
* **File:** `{package.RESOURCE}.csv` (UTF-8, one row per district and month, key `district_soato` + `month`),
  described by `datapackage.json` (Frictionless Tabular Data Package; field titles in Uzbek, Russian and
  English under `titles`).
* **Disclosure control:** a count of fewer than {k} people or households is published as `<{k}`, and so is a
  share built on it; `assisted_households` is also withheld when it differs from `assisted_eligible` by
  fewer than {k}. The districts of a region add up, month by month, to the region's published figure, so
  more cells are withheld (`{package.WITHHELD}`: {k} or more) until no suppressed count can be recomputed or
  narrowed from the region totals and the other cells (checked by linear programming); a payment amount is
  withheld with its households. Only one flow is published beside each stock.
* **Licence:** {name} ({licence}), {url}. Cite as: Qamrov open data, snapshot {meta['snapshot_date']}.

## Fields

| field | oʻzbekcha | русский | English | definition |
| --- | --- | --- | --- | --- |
{rows}
"""


COMMAND = Command("publish", "write the open-data release (Frictionless Data Package, disclosure applied)", run)
