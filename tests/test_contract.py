"""The written contract (data/CONTRACT.md) must match the code that enforces it."""
from pathlib import Path

from data import contract, contract_doc

ROOT = Path(__file__).resolve().parents[1]


def test_contract_md__matches_code():
    written = (ROOT / "data" / "CONTRACT.md").read_text(encoding="utf-8")
    assert written.strip() == contract_doc.markdown().strip(), (
        "data/CONTRACT.md is stale: run `python -m data.contract > data/CONTRACT.md`")


def test_contract__every_reference_points_to_a_key():
    for table in contract.TABLES.values():
        for col in table.columns:
            if col.references:
                parent, key = col.references.split(".")
                assert contract.TABLES[parent].key == (key,), col


def test_contract__load_order_puts_parents_first():
    seen = set()
    for name in contract.LOAD_ORDER:
        for col in contract.TABLES[name].columns:
            if col.references:
                assert col.references.split(".")[0] in seen, (name, col.name)
        seen.add(name)
