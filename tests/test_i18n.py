"""Every UI string goes through ui.i18n.t, in four languages: each key the pages and the kit
use exists in the Uzbek catalogue; every other language holds every Uzbek key (with the
plural forms its CLDR rule needs) and keeps the placeholders; the Uzbek Cyrillic catalogue is
the transliteration of the Latin one with the reviewed exceptions; nothing is left untranslated."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from data.contract import CHANNELS, PROGRAMMES
from queries import indicators
from ui import fmt, i18n, registry, state, translit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py")),
           *sorted((ROOT / "bench").rglob("*.py")), *sorted((ROOT / "qamrov").rglob("*.py"))]
LITERAL = re.compile(r"""\bt\(\s*(?:f?)["']([a-zA-Z0-9_.{}]+)["']""")
OTHERS = [lang for lang in i18n.LANGUAGES if lang != "uz"]
#: Values that are the same word in Uzbek and English.
SAME_IN_ENGLISH = {"mln", "Pilot", "pilot", "inson", "km", "Min–max", "Format"}


def _literal_keys() -> set[str]:
    keys = set()
    for path in SOURCES:
        for key in LITERAL.findall(path.read_text(encoding="utf-8")):
            if "{" not in key:  # f-string keys are covered by _dynamic_keys
                keys.add(key)
    return keys


def _dynamic_keys() -> set[str]:
    keys = {f"programme.{p}" for p in ("_all", "_targeted", *PROGRAMMES)} | {f"channel.{c}" for c in (*CHANNELS, "_other")}
    keys |= {"fmt.month_year", "fmt.month_short", "fmt.month_alone_short", "fmt.as_of", "fmt.mln", "fmt.mlrd", "fmt.trln"}
    keys |= {f"kit.filters.compare_{c}" for c in state.COMPARE} | {f"kit.header.compare_{c}" for c in state.COMPARE}
    keys |= {f"kit.note.key.{k}" for k in ("region", "districts", "from", "to", "compare", "programme", "indicator",
                                           "lang")}
    keys |= {f"district.vs.{lv}" for lv in ("district", "region", "country")}
    keys |= {f"geo.label.{k}{s}" for k in ("district", "city", "region", "republic") for s in ("", "_short")}
    keys |= {p.title_key for p in registry.PAGES}
    for ind in indicators.INDICATORS.values():
        keys |= {ind.label_key, ind.short_key, ind.definition_key}
        if ind.unit == "per100":
            keys |= {ind.unit_key, ind.value_key}
    return keys


def _fields(value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {f for text in texts for _, f, _, _ in string.Formatter().parse(text) if f}


def problems(lang: str, catalogue: dict | None = None) -> list[str]:
    """What keeps ``lang``'s catalogue from being complete relative to ``uz``: missing or
    empty keys, keys ``uz`` does not have, changed placeholders, missing plural forms."""
    uz, cat = i18n.catalogue("uz"), i18n.catalogue(lang) if catalogue is None else catalogue
    forms = i18n.locale(lang).plural_form.tags | {"other"}
    out = [f"{lang}: {k} missing" for k in uz if not cat.get(k)]
    out += [f"{lang}: {k} is not an Uzbek key" for k in cat if k not in uz]
    for k, v in cat.items():
        if k in uz and v and _fields(v) != _fields(uz[k]):
            out.append(f"{lang}: {k} placeholders {sorted(_fields(v))} != {sorted(_fields(uz[k]))}")
        if isinstance(v, dict) and set(v) != forms:
            out.append(f"{lang}: {k} plural forms {sorted(v)} != {sorted(forms)}")
    return out


def test_catalogue__has_every_key_the_ui_uses():
    used = _literal_keys() | _dynamic_keys()
    assert len(used) > 100
    missing = sorted(k for k in used if not i18n.has(k, "uz"))
    assert missing == []


@pytest.mark.parametrize("lang", OTHERS)
def test_catalogue__every_language_has_every_uzbek_key(lang):
    assert problems(lang) == []
    assert len(i18n.catalogue(lang)) == len(i18n.catalogue("uz")) > 400


def test_catalogue__completeness_fails_on_a_removed_key():
    ru = dict(i18n.catalogue("ru"))
    del ru["kit.filters.title"]
    ru["kit.header.and_more"] = {"one": " и ещё {n} район", "other": " и ещё {n} района"}
    assert problems("ru", ru) == ["ru: kit.filters.title missing",
                                  "ru: kit.header.and_more plural forms ['one', 'other'] != "
                                  "['few', 'many', 'one', 'other']"]


@pytest.mark.parametrize("lang", OTHERS)
def test_catalogue__translated_not_copied(lang):
    """No value is the Uzbek one copied (the old English catalogue was Uzbek in part), apart
    from language-neutral ones (placeholders, marks, date patterns) and shared words."""
    uz = i18n.catalogue("uz")
    neutral = re.compile(r"\{[^}]*\}|'[^']*'|\b[yMLd]+\b|[^A-Za-z]")
    same = [k for k, v in i18n.catalogue(lang).items() if v == uz[k] and len(neutral.sub("", str(v))) > 1
            and not (lang == "en" and v in SAME_IN_ENGLISH)]
    assert same == []


def test_t__plural_forms_follow_cldr():
    assert [fmt.days(n, lang="ru") for n in (1, 3, 5, 21, 1.5)] == ["1 день", "3 дня", "5 дней", "21 день", "2 дня"]
    assert fmt.days(1.5, median=False, lang="ru") == "1,5 дня"
    assert [i18n.t("kit.header.and_more", "ru", n=n) for n in (1, 3, 5, 11)] == [
        " и ещё 1 район", " и ещё 3 района", " и ещё 5 районов", " и ещё 11 районов"]
    assert [i18n.t("kit.ranking.hidden", "en", n=n, min_cell="<10")[:13] for n in (1, 2)] == [
        "1 district is", "2 districts a"]
    assert i18n.t("kit.header.and_more", "uz", n=1234) == " va yana 1\u00a0234 ta"


def test_t__falls_back_to_uzbek_and_fills_placeholders(monkeypatch):
    ru = dict(i18n.catalogue("ru"))
    del ru["kit.header.and_more"]
    real = i18n.catalogue
    monkeypatch.setattr(i18n, "catalogue", lambda lang: ru if lang == "ru" else real(lang))
    assert i18n.t("kit.header.and_more", "ru", n=3) == " va yana 3 ta"
    assert i18n.t("no.such.key", "ru") == "no.such.key"


@pytest.mark.parametrize("tag, lang", [("ru-RU", "ru"), ("ru", "ru"), ("en-GB", "en"), ("uz", "uz"),
                                       ("uz-Latn-UZ", "uz"), ("uz-Cyrl", "uz_Cyrl"), ("uz_cyrl", "uz_Cyrl"),
                                       ("de-DE", None), ("", None), (None, None)])
def test_normalise__browser_tags_and_url_values(tag, lang):
    assert i18n.normalise(tag) == lang


def test_uz_cyrl__catalogue_is_the_transliteration_of_uz():
    assert translit.stale() == [], "run: python -m ui.translit"


@pytest.mark.parametrize("latin, cyrillic", [
    ("yo‘q", "йўқ"), ("O‘zbekiston Respublikasi", "Ўзбекистон Республикаси"), ("ta’minlangan", "таъминланган"),
    ("Reabilitatsiya", "Реабилитация"), ("eng yaxshi", "энг яхши"), ("Shahar", "Шаҳар"), ("g‘alla", "ғалла"),
    ("Ayollar daftari", "Аёллар дафтари"), ("Yoshlar", "Ёшлар"), ("{n} ta fayl", "{n} та файл"),
    ("`make run`", "`make run`"), ("<br><b>{x}</b>", "<br><b>{x}</b>"), ("CSV yuklab olish", "CSV юклаб олиш"),
    ("Excel, is_pilot, geo.import", "Excel, is_pilot, geo.import"), ("10 dan kam", "10 дан кам"),
    ("Filtrlar", "Фильтрлар"), ("f.p.", "ф.п."), ("“366+”", "“366+”"), ("n{min_cell}", "n{min_cell}"),
])
def test_translit__rules_and_exceptions(latin, cyrillic):
    assert translit.text(latin) == cyrillic


def test_translit__every_exception_is_used_and_every_key_override_exists():
    uz = i18n.catalogue("uz")
    texts = " ".join(str(v) for v in uz.values()).lower()
    ex = translit.exceptions()
    unused = [w for w in ex["words"] if not re.search(rf"(?<![a-z‘’]){re.escape(w)}(?![a-z‘’])", texts)]
    assert unused == []
    assert [k for k in ex["keys"] if k not in uz] == []
    assert [w for w in ex["keep"] if w.lower() not in texts] == []


def test_translit__check_reports_a_stale_catalogue(tmp_path, monkeypatch):
    import shutil
    for lang in ("uz", "uz_Cyrl"):
        shutil.copytree(translit.LOCALES / lang, tmp_path / lang)
    monkeypatch.setattr(translit, "LOCALES", tmp_path)
    assert translit.main(["--check"]) == 0
    (tmp_path / "uz" / "kit.json").write_text('{"kit.new": "Yangi kalit"}\n', encoding="utf-8")
    assert translit.stale() == ["kit"]
    assert translit.main(["--check"]) == 1
    assert translit.main([]) == 0 and translit.stale() == []
    assert (tmp_path / "uz_Cyrl" / "kit.json").read_text(encoding="utf-8") == '{\n  "kit.new": "Янги калит"\n}\n'


def test_sources__no_bare_user_facing_strings_in_streamlit_calls():
    bare = re.compile(r"""\bst\.(?:title|header|subheader|info|warning|error|caption|markdown|button)\(\s*["'][A-Za-z]""")
    offenders = [f"{p.name}: {m.group(0)}" for p in SOURCES for m in bare.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
