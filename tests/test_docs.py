"""Documentation that must not fall behind: every kit module is in ui/README.md's map."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "ui" / "README.md").read_text(encoding="utf-8")
KIT = sorted(p for folder in ("ui", "queries") for p in (ROOT / folder).glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", KIT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_readme__names_every_kit_module(path):
    rel = f"{path.parent.name}/{path.name}"
    assert rel in README, f"{rel} is not described in ui/README.md"
