"""The extract contract: every table, column, type, allowed value and key.

This module is the single source of truth. ``data/CONTRACT.md`` is generated
from it (``python -m data.contract > data/CONTRACT.md``; a test fails when the
two disagree), the generator writes extracts that satisfy it and the ingest
enforces it rule by rule.

Conventions
-----------
* Every id is pseudonymous: a two-letter prefix, a dash and upper-case hex or
  digits (``HH-00A1B2C3D4``). Nothing that looks like a name, a passport or a
  PINFL (14 digits) is accepted in an id column.
* Districts are 7-digit SOATO codes (``1724401``). An extract may write a
  district as a name in any spelling instead; ingest resolves it through
  :mod:`data.reference` and rejects the row when the name is unknown or
  ambiguous.
* Dates are ISO ``YYYY-MM-DD``; a payment ``month`` is the first day of the
  month (``2024-03-01``; ``2024-03`` is accepted too).
* Money is whole so'm (UZS), never negative.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Accepted values and dates live in data.domain (one home for every domain fact);
# they are re-exported here because the contract is where extract writers look for them.
from data.domain import (  # noqa: E402,F401
    ASSISTANCE_TYPES, CASE_STATUS, CHANNELS, DAFTAR_STATUS, DAFTARS, DATE_MIN, ELIGIBILITY,
    FAMILY_CATEGORY, INSON_PILOT_START, NEED_TYPES, PROGRAMMES, SERVICE_TYPES, SOCIAL_CARD_START,
    TARGETED_PROGRAMMES,
)


@dataclass(frozen=True)
class Column:
    """One column of an extract table.

    Parameters
    ----------
    name : str
        Column name as it appears in the extract header.
    type : str
        Logical type: ``id``, ``soato``, ``text``, ``int``, ``money``,
        ``bool``, ``date`` or ``month``.
    doc : str
        What the column means.
    nullable : bool
        Whether an empty value is allowed.
    values : tuple of str, optional
        The accepted values of an enumerated column.
    prefix : str, optional
        For ``id`` columns: the pseudonymous prefix (``HH``, ``PR`` ...).
    min, max : int, optional
        Inclusive bounds for ``int`` columns.
    references : str, optional
        ``table.column`` that a value must exist in (orphan rule).
    """

    name: str
    type: str
    doc: str
    nullable: bool = False
    values: tuple[str, ...] | None = None
    prefix: str | None = None
    min: int | None = None
    max: int | None = None
    references: str | None = None


@dataclass(frozen=True)
class Check:
    """A rule that spans columns of one row, written as a DuckDB SQL predicate
    that is TRUE for a *good* row (NULL counts as good)."""

    name: str
    sql: str
    doc: str


@dataclass(frozen=True)
class Table:
    """One extract table: its columns, key and cross-column checks."""

    name: str
    source: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _id(name: str, prefix: str, doc: str, **kw) -> Column:
    return Column(name, "id", doc, prefix=prefix, **kw)


TABLES: dict[str, Table] = {}


def _table(t: Table) -> Table:
    TABLES[t.name] = t
    return t


_table(Table(
    name="mahallas",
    source="Mahalla reference of the Unified Social Registry",
    grain="one row per mahalla (citizens' assembly)",
    key=("mahalla_id",),
    columns=(
        _id("mahalla_id", "MH", "Pseudonymous mahalla id."),
        Column("district_soato", "soato", "District or city the mahalla belongs to."),
        Column("mahalla_name", "text", "Mahalla name (Uzbek Latin)."),
    ),
))

_table(Table(
    name="households",
    source="Unified Social Registry (Yagona ijtimoiy reestr), snapshot",
    grain="one row per household in the registry",
    key=("household_id",),
    columns=(
        _id("household_id", "HH", "Pseudonymous household id."),
        Column("district_soato", "soato", "District of residence."),
        Column("mahalla_id", "id", "Mahalla of residence.", prefix="MH", references="mahallas.mahalla_id"),
        Column("members", "int", "People in the household.", min=1, max=40),
        Column("children_under_18", "int", "Members younger than 18.", min=0, max=40),
        Column("members_disabled", "int", "Members with a disability.", min=0, max=40),
        Column("single_elderly", "bool", "A single elderly person living alone."),
        Column("income_per_capita_uzs", "money", "Monthly income per member, so'm."),
        Column("eligibility_status", "text", "Current decision of the registry.", values=ELIGIBILITY),
        Column("eligible_from", "date", "First day the household was eligible (low-income).", nullable=True),
        Column("eligible_to", "date", "Last day of eligibility; empty while still eligible.", nullable=True),
        Column("registered_on", "date", "Date the household entered the registry."),
        Column("family_category", "text", "Family category.", values=FAMILY_CATEGORY),
    ),
    checks=(
        Check("members_consistent", "children_under_18 <= members AND members_disabled <= members",
              "children and disabled members cannot outnumber members"),
        Check("eligibility_dates", "eligible_to IS NULL OR eligible_from IS NULL OR eligible_to >= eligible_from",
              "eligible_to is on or after eligible_from"),
        Check("eligible_has_start", "eligibility_status <> 'eligible' OR eligible_from IS NOT NULL",
              "an eligible household has an eligible_from date"),
    ),
))

_table(Table(
    name="payments",
    source="Benefit payments (social card, bank card, post/cash)",
    grain="one row per household, programme and month paid",
    key=("payment_id",),
    columns=(
        Column("payment_id", "int", "Payment id (pseudonymous sequence).", min=1),
        Column("household_id", "id", "Household paid.", prefix="HH", references="households.household_id"),
        Column("programme", "text", "Programme paid from.", values=PROGRAMMES),
        Column("month", "month", "Month the payment is for (first day of month)."),
        Column("amount_uzs", "money", "Amount paid, so'm."),
        Column("channel", "text", "How it was paid.", values=CHANNELS),
    ),
))

_table(Table(
    name="population",
    source="Statistics agency estimates per district and year",
    grain="one row per district and year",
    key=("district_soato", "year"),
    columns=(
        Column("district_soato", "soato", "District or city."),
        Column("year", "int", "Calendar year.", min=2019, max=2100),
        Column("residents", "int", "Resident population (1 January).", min=0),
        Column("women", "int", "Women of all ages.", min=0),
        Column("youth", "int", "Young people aged 14-30.", min=0),
        Column("elderly", "int", "People aged 60 and over.", min=0),
        Column("households", "int", "Households.", min=0),
        Column("poor_households_est", "int", "Estimated poor households (the coverage denominator).", min=0),
    ),
    checks=(
        Check("parts_within_total", "women <= residents AND youth <= residents AND elderly <= residents",
              "women, youth and elderly are parts of residents"),
        Check("poor_within_households", "poor_households_est <= households",
              "poor households cannot exceed households"),
    ),
))

_table(Table(
    name="daftar_entries",
    source="Temir daftar, Ayollar daftari, Yoshlar daftari, Nuroniylar daftari",
    grain="one row per person's inclusion in a daftar",
    key=("entry_id",),
    columns=(
        _id("entry_id", "DE", "Pseudonymous entry id."),
        _id("person_id", "PR", "Pseudonymous person id."),
        Column("household_id", "id", "Household, when known to the registry.", nullable=True,
               prefix="HH", references="households.household_id"),
        Column("daftar", "text", "Which register.", values=DAFTARS),
        Column("district_soato", "soato", "District."),
        Column("mahalla_id", "id", "Mahalla.", prefix="MH", references="mahallas.mahalla_id"),
        Column("included_on", "date", "Date included in the register."),
        Column("need_type", "text", "Main need recorded.", values=NEED_TYPES),
        Column("status", "text", "Where the entry stands now.", values=DAFTAR_STATUS),
        Column("assessed_on", "date", "Date the need was assessed.", nullable=True),
        Column("assisted_on", "date", "Date help was given.", nullable=True),
        Column("assistance_type", "text", "What help was given.", nullable=True, values=ASSISTANCE_TYPES),
        Column("amount_uzs", "money", "Money given, so'm (when the help was money).", nullable=True),
        Column("removed_on", "date", "Date the person left the register.", nullable=True),
    ),
    checks=(
        Check("assisted_has_date", "status <> 'assisted' OR (assisted_on IS NOT NULL AND assistance_type IS NOT NULL)",
              "an assisted entry has assisted_on and assistance_type"),
        Check("removed_has_date", "status <> 'removed' OR removed_on IS NOT NULL",
              "a removed entry has removed_on"),
        Check("dates_ordered",
              "(assessed_on IS NULL OR assessed_on >= included_on) AND (assisted_on IS NULL OR assisted_on >= included_on)"
              " AND (removed_on IS NULL OR removed_on >= included_on)",
              "assessment, help and removal happen on or after inclusion"),
    ),
))

_table(Table(
    name="inson_centres",
    source="Inson social service centres",
    grain="one row per centre (one per district or city)",
    key=("centre_id",),
    columns=(
        _id("centre_id", "IC", "Centre id."),
        Column("district_soato", "soato", "District the centre serves."),
        Column("centre_name", "text", "Centre name."),
        Column("opened_on", "date", "Date the centre opened."),
        Column("is_pilot", "bool", "One of the 28 pilot centres (from 15 October 2023)."),
    ),
))

_table(Table(
    name="social_workers",
    source="Inson centres: social workers",
    grain="one row per social worker's employment",
    key=("worker_id",),
    columns=(
        _id("worker_id", "SW", "Pseudonymous worker id."),
        Column("centre_id", "id", "Centre employing the worker.", prefix="IC", references="inson_centres.centre_id"),
        Column("mahalla_ids", "text",
               "Mahallas assigned, separated by ';' (each must be a known mahalla_id)."),
        Column("hired_on", "date", "Date hired."),
        Column("left_on", "date", "Date left; empty while in post.", nullable=True),
    ),
    checks=(
        Check("left_after_hired", "left_on IS NULL OR left_on >= hired_on", "left_on is on or after hired_on"),
    ),
))

_table(Table(
    name="cases",
    source="E-Case: casework of the Inson centres",
    grain="one row per case",
    key=("case_id",),
    columns=(
        _id("case_id", "CS", "Pseudonymous case id."),
        Column("household_id", "id", "Household served.", prefix="HH", references="households.household_id"),
        Column("district_soato", "soato", "District."),
        Column("mahalla_id", "id", "Mahalla.", prefix="MH", references="mahallas.mahalla_id"),
        Column("family_category", "text", "Family category at opening.", values=FAMILY_CATEGORY),
        Column("service_type", "text", "Service provided.", values=SERVICE_TYPES),
        Column("opened_on", "date", "Date opened."),
        Column("closed_on", "date", "Date closed; empty while open.", nullable=True),
        Column("worker_id", "id", "Social worker in charge.", prefix="SW", references="social_workers.worker_id"),
        Column("status", "text", "Open or closed.", values=CASE_STATUS),
    ),
    checks=(
        Check("closed_after_opened", "closed_on IS NULL OR closed_on >= opened_on", "closed_on is on or after opened_on"),
        Check("status_matches_dates",
              "(status = 'closed' AND closed_on IS NOT NULL) OR (status = 'open' AND closed_on IS NULL)",
              "a closed case has closed_on, an open case has none"),
    ),
))

#: Load order: referenced tables before the tables that reference them.
LOAD_ORDER = ("mahallas", "households", "population", "inson_centres", "social_workers",
              "payments", "daftar_entries", "cases")
assert set(LOAD_ORDER) == set(TABLES)

#: Rules the ingest enforces, with the text shown to users.
RULES = {
    "unreadable_file": "the file cannot be read as a table (encoding, format or empty)",
    "missing_column": "a column the contract requires is absent",
    "extra_column": "a column the contract does not know is present",
    "missing_table": "a required extract file is absent",
    "wrong_type": "a value cannot be read as the column's type",
    "missing_value": "a required value is empty",
    "not_pseudonymous": "an id does not have the pseudonymous form (prefix-XXXX)",
    "unknown_district": "the district code or name is not in the reference geography",
    "date_out_of_range": f"a date is before {DATE_MIN.isoformat()} or after the snapshot date",
    "negative_amount": "a money amount is negative",
    "out_of_range": "a number is outside the column's bounds",
    "unknown_value": "a value is not one of the column's accepted values",
    "duplicate_key": "the table's key occurs more than once",
    "orphan": "the row refers to an id that its parent table does not have",
    "inconsistent": "the row breaks a cross-column rule of the contract",
}


def markdown() -> str:
    """Render the contract as Markdown (the body of ``data/CONTRACT.md``)."""
    out = [
        "# Extract contract",
        "",
        "Generated from `data/contract.py` by `python -m data.contract > data/CONTRACT.md`;",
        "a test fails when this file and the code disagree. Do not edit by hand.",
        "",
        "Every extract directory holds one file per table, named `<table>.csv`, `<table>.parquet`",
        "or `<table>.xlsx` (CSV in UTF-8 or Windows-1251). An optional `manifest.json` gives",
        "`snapshot_date` (the date the extract was taken) and `source`.",
        "",
        "Ids are pseudonymous (`XX-` prefix and upper-case hex/digits): no names, passport or",
        "PINFL numbers anywhere. Districts are 7-digit SOATO codes, or names in any spelling",
        "that the reference resolver can turn into one.",
        "",
        f"Dates run from {DATE_MIN.isoformat()} to the snapshot date. Money is whole so'm, never negative.",
        "",
        "## Rules",
        "",
        "| rule | meaning |",
        "| --- | --- |",
    ]
    out += [f"| `{k}` | {v} |" for k, v in RULES.items()]
    out += ["", "A file that breaks a file-level rule (`unreadable_file`, `missing_column`,",
            "`extra_column`, `missing_table`) is rejected whole. Rows that break a row rule go to",
            "quarantine with the rule and the reason; the extract is rejected (the previous warehouse",
            "keeps serving) when a table's rejected share exceeds the ingest's `--max-reject-share`.", ""]
    for name in LOAD_ORDER:
        t = TABLES[name]
        out += [f"## `{t.name}`", "", f"Source: {t.source}. Grain: {t.grain}. Key: "
                + ", ".join(f"`{k}`" for k in t.key) + ".", "",
                "| column | type | required | accepted values / bounds | meaning |",
                "| --- | --- | --- | --- | --- |"]
        for c in t.columns:
            allowed = []
            if c.values:
                allowed.append(", ".join(f"`{v}`" for v in c.values))
            if c.prefix:
                allowed.append(f"`{c.prefix}-…`")
            if c.min is not None or c.max is not None:
                allowed.append(f"{'' if c.min is None else c.min} … {'' if c.max is None else c.max}")
            if c.references:
                allowed.append(f"→ `{c.references}`")
            out.append(f"| `{c.name}` | {c.type} | {'no' if c.nullable else 'yes'} | {'; '.join(allowed)} | {c.doc} |")
        if t.checks:
            out += ["", "Row checks:", ""]
            out += [f"- `{ch.name}`: {ch.doc} (`{ch.sql}`)" for ch in t.checks]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
