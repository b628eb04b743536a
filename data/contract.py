"""The extract contract: every table, column, type, allowed value and key.

This module is the single source of truth. ``data/CONTRACT.md`` is generated
from it (:mod:`data.contract_doc`, ``python -m data.contract > data/CONTRACT.md``;
a test fails when the two disagree), the generator writes extracts that satisfy
it and the ingest enforces it rule by rule.

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
* In CSV and Excel files a value may be written in any declared form of its
  type (``1 234 567,00``, ``01.03.2024`` ...) and a header in any declared
  synonym of its column (``Район``, ``Household Id``): :mod:`data.spellings`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from data.spellings import FORMS, SYNONYMS, Form, header_key

# Accepted values and dates live in data.domain (one home for every domain fact);
# they are re-exported here because the contract is where extract writers look for them.
from data.domain import (  # noqa: F401
    ASSISTANCE_TYPES, CASE_STATUS, CHANNELS, DAFTAR_STATUS, DAFTARS, DATE_MIN, ELIGIBILITY,
    FAMILY_CATEGORY, INSON_PILOT_START, NEED_TYPES, PROGRAMMES, SERVICE_TYPES, SOCIAL_CARD_START,
    TARGETED_PROGRAMMES,
)


@dataclass(frozen=True)
class Column:
    """One column of an extract table (each field documented where it is declared)."""

    #: Column name as it appears in the extract header.
    name: str
    #: Logical type: ``id``, ``soato``, ``text``, ``int``, ``money``, ``bool``, ``date`` or ``month``.
    type: str
    #: What the column means.
    doc: str
    #: Whether an empty value is allowed.
    nullable: bool = False
    #: The accepted values of an enumerated column.
    values: tuple[str, ...] | None = None
    #: For ``id`` columns: the pseudonymous prefix (``HH``, ``PR`` ...).
    prefix: str | None = None
    #: Inclusive lower bound of an ``int`` column.
    min: int | None = None
    #: Inclusive upper bound of an ``int`` column.
    max: int | None = None
    #: ``table.column`` that a value must exist in (orphan rule).
    references: str | None = None

    @property
    def forms(self) -> tuple[Form, ...]:
        """The accepted spellings of a value in a text file (:data:`data.spellings.FORMS` of the type)."""
        return FORMS.get(self.type, ())

    @property
    def synonyms(self) -> tuple[str, ...]:
        """Other header names of the column (:data:`data.spellings.SYNONYMS`; case and spacing ignored)."""
        return SYNONYMS.get(self.name, ())

    @property
    def header_keys(self) -> set[str]:
        """Every header this column is recognised by, as :func:`data.spellings.header_key`."""
        return {header_key(n) for n in (self.name, *self.synonyms)}


@dataclass(frozen=True)
class Check:
    """A rule that spans columns of one row, written as a DuckDB SQL predicate
    that is TRUE for a *good* row (NULL counts as good)."""

    name: str
    sql: str
    doc: str


@dataclass(frozen=True)
class Table:
    """One extract table: its columns, key and cross-column checks.

    Attributes
    ----------
    name : str
        Table name; the extract file is ``<name>.csv``, ``.parquet`` or ``.xlsx``.
    source : str
        The system the extract comes from.
    grain : str
        What one row is.
    columns : tuple of Column
        In the order of the extract and the warehouse.
    key : tuple of str
        Columns that identify a row (duplicates are rejected).
    checks : tuple of Check
        Cross-column rules of a row.
    """

    name: str
    source: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        """The column names, in order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)


TABLES: dict[str, Table] = {}


def _table(name: str, source: str, grain: str, key: tuple[str, ...], columns: tuple[Column, ...],
           checks: tuple[Check, ...] = ()) -> None:
    TABLES[name] = Table(name, source, grain, columns, key, checks)


# Column builders for the kinds that recur across tables.
def _id(name: str, prefix: str, doc: str) -> Column:
    """A pseudonymous id (``<prefix>-<hex>``), usually the table's key."""
    return Column(name, "id", doc, prefix=prefix)


def _ref(parent: str, doc: str, nullable: bool = False) -> Column:
    """The key of ``parent`` (declared before): same name and prefix, checked by the orphan rule."""
    key = TABLES[parent].key[0]
    return Column(key, "id", doc, nullable=nullable, prefix=TABLES[parent].column(key).prefix,
                  references=f"{parent}.{key}")


def _district(doc: str) -> Column:
    return Column("district_soato", "soato", doc)


def _date(name: str, doc: str, nullable: bool = False) -> Column:
    return Column(name, "date", doc, nullable=nullable)


def _code(name: str, values: tuple[str, ...], doc: str, nullable: bool = False) -> Column:
    """An enumerated text column."""
    return Column(name, "text", doc, nullable=nullable, values=values)


def _count(name: str, doc: str, max: int | None = None) -> Column:
    return Column(name, "int", doc, min=0, max=max)


_table("mahallas", "Mahalla reference of the Unified Social Registry",
       "one row per mahalla (citizens' assembly)", ("mahalla_id",), (
           _id("mahalla_id", "MH", "Pseudonymous mahalla id."),
           _district("District or city the mahalla belongs to."),
           Column("mahalla_name", "text", "Mahalla name (Uzbek Latin)."),
       ))

_table("households", "Unified Social Registry (Yagona ijtimoiy reestr), snapshot",
       "one row per household in the registry", ("household_id",), (
           _id("household_id", "HH", "Pseudonymous household id."),
           _district("District of residence."),
           _ref("mahallas", "Mahalla of residence."),
           Column("members", "int", "People in the household.", min=1, max=40),
           _count("children_under_18", "Members younger than 18.", max=40),
           _count("members_disabled", "Members with a disability.", max=40),
           Column("single_elderly", "bool", "A single elderly person living alone."),
           Column("income_per_capita_uzs", "money", "Monthly income per member, so'm."),
           _code("eligibility_status", ELIGIBILITY, "Current decision of the registry."),
           _date("eligible_from", "First day the household was eligible (low-income).", nullable=True),
           _date("eligible_to", "Last day of eligibility; empty while still eligible.", nullable=True),
           _date("registered_on", "Date the household entered the registry."),
           _code("family_category", FAMILY_CATEGORY, "Family category."),
       ), (
           Check("members_consistent", "children_under_18 <= members AND members_disabled <= members",
                 "children and disabled members cannot outnumber members"),
           Check("eligibility_dates", "eligible_to IS NULL OR eligible_from IS NULL OR eligible_to >= eligible_from",
                 "eligible_to is on or after eligible_from"),
           Check("eligible_has_start", "eligibility_status <> 'eligible' OR eligible_from IS NOT NULL",
                 "an eligible household has an eligible_from date"),
       ))

_table("payments", "Benefit payments (social card, bank card, post/cash)",
       "one row per household, programme and month paid", ("payment_id",), (
           Column("payment_id", "int", "Payment id (pseudonymous sequence).", min=1),
           _ref("households", "Household paid."),
           _code("programme", PROGRAMMES, "Programme paid from."),
           Column("month", "month", "Month the payment is for (first day of month)."),
           Column("amount_uzs", "money", "Amount paid, so'm."),
           _code("channel", CHANNELS, "How it was paid."),
       ))

_table("population", "Statistics agency estimates per district and year",
       "one row per district and year", ("district_soato", "year"), (
           _district("District or city."),
           Column("year", "int", "Calendar year.", min=2019, max=2100),
           _count("residents", "Resident population (1 January)."),
           _count("women", "Women of all ages."),
           _count("youth", "Young people aged 14-30."),
           _count("elderly", "People aged 60 and over."),
           _count("households", "Households."),
           _count("poor_households_est", "Estimated poor households (the coverage denominator)."),
       ), (
           Check("parts_within_total", "women <= residents AND youth <= residents AND elderly <= residents",
                 "women, youth and elderly are parts of residents"),
           Check("poor_within_households", "poor_households_est <= households",
                 "poor households cannot exceed households"),
       ))

_table("daftar_entries", "Temir daftar, Ayollar daftari, Yoshlar daftari, Nuroniylar daftari",
       "one row per person's inclusion in a daftar", ("entry_id",), (
           _id("entry_id", "DE", "Pseudonymous entry id."),
           _id("person_id", "PR", "Pseudonymous person id."),
           _ref("households", "Household, when known to the registry.", nullable=True),
           _code("daftar", DAFTARS, "Which register."),
           _district("District."),
           _ref("mahallas", "Mahalla."),
           _date("included_on", "Date included in the register."),
           _code("need_type", NEED_TYPES, "Main need recorded."),
           _code("status", DAFTAR_STATUS, "Where the entry stands now."),
           _date("assessed_on", "Date the need was assessed.", nullable=True),
           _date("assisted_on", "Date help was given.", nullable=True),
           _code("assistance_type", ASSISTANCE_TYPES, "What help was given.", nullable=True),
           Column("amount_uzs", "money", "Money given, so'm (when the help was money).", nullable=True),
           _date("removed_on", "Date the person left the register.", nullable=True),
       ), (
           Check("assisted_has_date",
                 "status <> 'assisted' OR (assisted_on IS NOT NULL AND assistance_type IS NOT NULL)",
                 "an assisted entry has assisted_on and assistance_type"),
           Check("removed_has_date", "status <> 'removed' OR removed_on IS NOT NULL",
                 "a removed entry has removed_on"),
           Check("dates_ordered",
                 "(assessed_on IS NULL OR assessed_on >= included_on) AND (assisted_on IS NULL OR assisted_on >= "
                 "included_on) AND (removed_on IS NULL OR removed_on >= included_on)",
                 "assessment, help and removal happen on or after inclusion"),
       ))

_table("inson_centres", "Inson social service centres",
       "one row per centre (one per district or city)", ("centre_id",), (
           _id("centre_id", "IC", "Centre id."),
           _district("District the centre serves."),
           Column("centre_name", "text", "Centre name."),
           _date("opened_on", "Date the centre opened."),
           Column("is_pilot", "bool", "One of the 28 pilot centres (from 15 October 2023)."),
       ))

_table("social_workers", "Inson centres: social workers",
       "one row per social worker's employment", ("worker_id",), (
           _id("worker_id", "SW", "Pseudonymous worker id."),
           _ref("inson_centres", "Centre employing the worker."),
           Column("mahalla_ids", "text", "Mahallas assigned, separated by ';' (each must be a known mahalla_id)."),
           _date("hired_on", "Date hired."),
           _date("left_on", "Date left; empty while in post.", nullable=True),
       ), (
           Check("left_after_hired", "left_on IS NULL OR left_on >= hired_on", "left_on is on or after hired_on"),
       ))

_table("cases", "E-Case: casework of the Inson centres", "one row per case", ("case_id",), (
    _id("case_id", "CS", "Pseudonymous case id."),
    _ref("households", "Household served."),
    _district("District."),
    _ref("mahallas", "Mahalla."),
    _code("family_category", FAMILY_CATEGORY, "Family category at opening."),
    _code("service_type", SERVICE_TYPES, "Service provided."),
    _date("opened_on", "Date opened."),
    _date("closed_on", "Date closed; empty while open.", nullable=True),
    _ref("social_workers", "Social worker in charge."),
    _code("status", CASE_STATUS, "Open or closed."),
), (
    Check("closed_after_opened", "closed_on IS NULL OR closed_on >= opened_on", "closed_on is on or after opened_on"),
    Check("status_matches_dates",
          "(status = 'closed' AND closed_on IS NOT NULL) OR (status = 'open' AND closed_on IS NULL)",
          "a closed case has closed_on, an open case has none"),
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


if __name__ == "__main__":  # python -m data.contract > data/CONTRACT.md
    from data.contract_doc import markdown
    print(markdown())
