"""``python -m qamrov evaluate`` and ``python -m qamrov publish`` on the test warehouse: the figures,
the planted effect inside the interval, a data package that frictionless accepts with no suppressed
cell recoverable, and usage errors (exit 2 with an example) or a missing warehouse (exit 1)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from qamrov import cli
from queries.lab import package


def test_evaluate__recovers_the_planted_effect(warehouse, capsys):
    assert cli.main(["evaluate", "--warehouse", str(warehouse), "--planted", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["outcome"] == "coverage_registry" and out["treated"] + out["control"] == 205
    assert out["lo"] <= out["planted"]["att"] <= out["hi"] and out["lo"] > 0
    assert out["pre_p"] > 0.05 and len(out["events"]) > 15


def test_evaluate__text_report_of_an_outcome_without_effect(warehouse, capsys):
    assert cli.main(["evaluate", "--warehouse", str(warehouse), "--outcome", "daftar_days_to_help", "--planted"]) == 0
    out = capsys.readouterr().out
    assert "no effect distinguishable from zero" in out and "planted by the generator: +0.00 days  (inside" in out
    assert "pre-trends: joint test of 11 pre-opening effects" in out


@pytest.mark.parametrize("args, message", [
    (["--from", "2022-13"], "--from '2022-13' is not a month: write YYYY-MM, e.g. --from 2022-07"),
    (["--from", "2024-01", "--to", "2023-01"], "--from 2024-01 must be before --to 2023-01"),
    (["--outcome", "speed"], "invalid choice: 'speed'"),
])
def test_evaluate__usage_errors_exit_2_with_an_example(args, message, capsys):
    assert cli.main(["evaluate", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "usage: python -m qamrov evaluate" in err


def test_evaluate__missing_warehouse_is_a_message(tmp_path, capsys):
    assert cli.main(["evaluate", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_evaluate__help(capsys):
    assert cli.main(["evaluate", "--help"]) == 0
    out = capsys.readouterr().out
    assert all(o in out for o in ("--outcome", "--from", "--to", "--planted", "Example:"))


def test_publish__writes_a_valid_package_with_disclosure(warehouse, tmp_path, capsys):
    out = tmp_path / "open"
    # one year: the LP audit solves two programs per hidden count, and the test scale has many
    assert cli.main(["publish", "--warehouse", str(warehouse), "--out", str(out), "--from", "2025-01"]) == 0
    text = capsys.readouterr().out
    assert "frictionless validate: valid" in text and "no suppressed cell recoverable" in text
    assert "LP audit over the region totals: every hidden count open" in text
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = desc["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == [f.name for f in package.FIELDS]
    assert set(fields[6]["titles"]) == {"uz", "ru", "en"} and fields[6]["titles"]["uz"] == "Huquqli oilalar"
    assert desc["licenses"][0]["name"] == "CC-BY-4.0" and desc["x_qamrov"]["suppressed_cells"] > 0
    table = pd.read_csv(out / "district_month.csv", dtype=str, keep_default_na=False)
    counts = [f.name for f in package.FIELDS if f.kind == "count"]
    assert len(table) == 205 * 12
    assert desc["x_qamrov"]["withheld_cells"] > 0 and (table[counts[0]] == "×").any()
    nums = table[counts].apply(pd.to_numeric, errors="coerce")
    assert not ((nums > 0) & (nums < 10)).any().any()
    assert (table[counts] == "<10").any().any()
    assert package.recoverable(table, 10) == []
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "Licence" in readme and "Snapshot:** 2025-12-31" in readme and "Huquqli oilalar" in readme


def test_publish__validation_catches_a_broken_file(warehouse, tmp_path, capsys):
    out = tmp_path / "open"
    assert cli.main(["publish", "--warehouse", str(warehouse), "--out", str(out), "--from", "2025-12"]) == 0
    capsys.readouterr()
    csv = out / "district_month.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",2025-12-01,", ",not-a-date,", 1), encoding="utf-8")
    valid, errors = package.validate(out / "datapackage.json")
    assert not valid and any("type-error" in e for e in errors)


def test_recoverable__finds_a_published_small_count_and_a_small_difference():
    t = pd.DataFrame({f.name: ["1"] for f in package.FIELDS})
    t["eligible_households"], t["assisted_eligible"], t["coverage_registry"] = "20", "<10", "0.3"
    t["assisted_households"], t["daftar_open"] = "12", "4"
    found = package.recoverable(t, 10)
    assert "daftar_open: a count below 10 is published" in found
    assert "coverage_registry: published where assisted_eligible is suppressed" in found
    t["assisted_eligible"], t["assisted_households"] = "25", "28"
    assert "assisted_households - assisted_eligible: a difference below 10 can be read" in package.recoverable(t, 10)


def test_publish__bad_month_is_a_usage_error(capsys):
    assert cli.main(["publish", "--out", "x", "--to", "December"]) == 2
    assert "--to 'December' is not a month" in capsys.readouterr().err


def _region_month(values: list[int]) -> pd.DataFrame:
    """One region's districts in one month, every count equal to ``values`` (a district each)."""
    n = len(values)
    rows = {"district_soato": [f"17031{i:02d}" for i in range(n)], "region_soato": ["1703"] * n,
            "name_uz": ["d"] * n, "name_ru": ["d"] * n, "name_en": ["d"] * n, "month": ["2025-12-01"] * n}
    for f in package.FIELDS:
        if f.kind in ("count", "int", "money"):
            rows[f.name] = values
    return pd.DataFrame(rows)


def test_published__a_lone_small_district_gets_a_complement():
    """One small district of a region: with only primary suppression the region total minus the
    other districts would give it away; the release withholds a second district too."""
    rows = _region_month([4, 120, 300, 45])
    table = package.published(rows, 10)
    assert table["daftar_open"].iloc[0] == "<10"
    assert (table["daftar_open"] == "×").sum() >= 1
    assert (table["amount_uzs"] != rows["amount_uzs"]).sum() >= 2  # amounts follow their households
    assert package.audit(rows, 10) == []


def test_audit__finds_primary_suppression_alone_too_narrow():
    """The audit can fail: the same region with primary suppression only leaves the small
    district's value fixed by the region total."""
    from queries import disclosure

    rows = _region_month([4, 120, 300, 45])
    prot = package.protected(rows, 10)
    alone = prot.assign(**{disclosure.STATUS + c: (rows[c] < 10).astype("int8")
                           for c in ("daftar_open", "eligible_households")})
    narrow = disclosure.audit_frame(alone, "rows", 10)
    assert {a["column"] for a in narrow} >= {"daftar_open", "eligible_households"}
    assert all(a["row"] == 0 and a["high"] - a["low"] < 5 for a in narrow)
