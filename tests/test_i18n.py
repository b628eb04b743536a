"""Every UI string goes through ui.i18n.t: each key the pages and the kit use
exists in the Uzbek catalogue, and translations keep the placeholders."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from data.contract import CHANNELS, PROGRAMMES
from queries import indicators
from ui import i18n, registry, state

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
LITERAL = re.compile(r"""\bt\(\s*(?:f?)["']([a-zA-Z0-9_.{}]+)["']""")


def _literal_keys() -> set[str]:
    keys = set()
    for path in SOURCES:
        for key in LITERAL.findall(path.read_text(encoding="utf-8")):
            if "{" not in key:  # f-string keys are covered by _dynamic_keys
                keys.add(key)
    return keys


def _dynamic_keys() -> set[str]:
    keys = {f"programme.{p}" for p in ("_all", *PROGRAMMES)} | {f"channel.{c}" for c in (*CHANNELS, "_other")}
    keys |= {f"month.{m}" for m in range(1, 13)} | {f"month.short.{m}" for m in range(1, 13)}
    keys |= {f"kit.filters.compare_{c}" for c in state.COMPARE} | {f"kit.header.compare_{c}" for c in state.COMPARE}
    keys |= {f"kit.note.key.{k}" for k in ("region", "districts", "from", "to", "compare", "programme", "indicator")}
    keys |= {p.title_key for p in registry.PAGES}
    for ind in indicators.INDICATORS.values():
        keys |= {ind.label_key, ind.short_key, ind.definition_key}
    return keys


def test_catalogue__has_every_key_the_ui_uses():
    used = _literal_keys() | _dynamic_keys()
    assert len(used) > 100
    missing = sorted(k for k in used if not i18n.has(k, "uz"))
    assert missing == []


def test_t__falls_back_to_uzbek_and_fills_placeholders():
    assert i18n.t("kit.kpi.vs", "en", when="X") == i18n.t("kit.kpi.vs", "uz", when="X")
    assert i18n.t("kit.header.and_more", "uz", n=3) == " va yana 3 ta"


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "uz"])
def test_catalogue__translations_keep_placeholders(lang):
    uz = i18n.catalogue("uz")
    for key, text in i18n.catalogue(lang).items():
        assert key in uz, f"{lang}: {key} not in the uz catalogue"
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(uz[key]) if f}, f"{lang}: {key}"


def test_sources__no_bare_user_facing_strings_in_streamlit_calls():
    bare = re.compile(r"""\bst\.(?:title|header|subheader|info|warning|error|caption|markdown|button)\(\s*["'][A-Za-z]""")
    offenders = [f"{p.name}: {m.group(0)}" for p in SOURCES for m in bare.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
