"""Every page, run as users run it (AppTest) in each of the four languages, writes only words
of that language: every rendered string -- titles, markdown, captions, alerts, KPI labels,
values and help, widget labels, options, placeholders and help, expander and button labels,
table headers and cells, chart titles, axes, legends, annotations, tick texts, hover
templates and hover data -- is made of words from the language's catalogue, CLDR's month
names of its locale, the reference names in its column, the language names of the switch
and the data's own provenance (the source named at ingest). An Uzbek Latin word on a Russian
page (a missing key falls back to Uzbek) fails the test."""
from __future__ import annotations

import json
import re

import pytest
from babel.dates import get_month_names

from kit_helpers import NATIONAL, connect, run_app, signed_in
from ui import i18n, labels, translit

RUNS = [
    ("pages/home.py", {}),
    ("pages/coverage.py", {"region": "1722", "district": "1722204"}),
    ("pages/growth.py", {"region": "1726"}),
    ("pages/daftar.py", {}),
    ("pages/inson.py", {"region": "1722"}),
    ("pages/district.py", {"district": "1722204"}),
    ("pages/district.py", {}),
]
#: Words that are no language's: codes and file formats shown as they are.
NEUTRAL = {"soato", "csv", "n"}
WORDS = re.compile(r"[^\W\d_]+")
MARKUP = re.compile(r"<[^>]*>|%\{[^}]*\}|:material/[a-z_]+:|`[^`]*`|\d{4}-\d\d-\d\dT[\d:.]+")


def words(text: str) -> set[str]:
    text = text.replace("\u2010<br>", "")  # a map label's word broken onto two lines
    return {w.lower() for w in WORDS.findall(MARKUP.sub(" ", text))}


def catalogue_words(text: str) -> set[str]:
    """The words of a catalogue text, without its ``{placeholders}`` (a key shown raw, such
    as ``month.1``, must not pass because a text has ``{month}``)."""
    return words(re.sub(r"\{[^}]*\}", " ", text))


def _plotly_strings(spec: dict) -> list[str]:
    out = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("text", "ticktext", "hovertemplate", "customdata", "title") or (k in ("x", "y") and key == "data"):
                    collect(v)
                elif isinstance(v, (dict, list)):
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    def collect(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            walk(v)
        elif isinstance(v, list):
            for x in v:
                collect(x)

    for trace in spec.get("data", []):
        if trace.get("showlegend") is not False and trace.get("name"):
            out.append(trace["name"])
        walk({k: v for k, v in trace.items() if k != "name"}, "data")
    walk(spec.get("layout", {}))
    return out


def rendered(at) -> list[str]:
    """Every string a viewer reads on the page (and in its hovers)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [e.value for e in at.get(kind)]
    for m in at.metric:
        out += [m.label, m.value, m.delta or "", m.proto.help]
    for kind in ("selectbox", "multiselect", "radio", "segmented_control"):
        for w in at.get(kind):
            out += [w.label, w.help or "", w.proto.placeholder if hasattr(w.proto, "placeholder") else "",
                    *[str(o) for o in w.options]]
    for kind in ("button", "download_button", "toggle", "expander", "page_link"):
        for w in at.get(kind):
            out += [getattr(w, "label", "") or getattr(w.proto, "label", ""), getattr(w.proto, "help", "")]
    for df in at.dataframe:
        v = df.value
        out += [str(c) for c in v.columns] + [str(x) for x in v.astype(str).to_numpy().ravel()]
    for chart in at.get("plotly_chart"):
        out += _plotly_strings(json.loads(chart.proto.spec))
    return [s for s in out if s]


def vocabulary(lang: str, con) -> set[str]:
    vocab = set(NEUTRAL)
    for v in i18n.catalogue(lang).values():
        for text in (v.values() if isinstance(v, dict) else [v]):
            vocab |= catalogue_words(text)
    loc = i18n.BABEL[lang]
    # Uzbek glues case endings to a month name ("dekabrga nisbatan")
    endings = [""] + (["ga", "da", "dan", "gacha", "ning", "ni"] if lang.startswith("uz") else [])
    endings = [translit.text(e) if lang == "uz_Cyrl" else e for e in endings]
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            vocab |= {w + e for m in get_month_names(width, context, loc).values() for w in words(m) for e in endings}
    col = labels.name_column(lang)
    for table in ("ref_regions", "ref_districts"):
        vocab |= {w for (name,) in con.execute(f"SELECT {col} FROM {table}").fetchall() for w in words(name)}
    vocab |= {w for name in i18n.ENDONYMS.values() for w in words(name)}
    vocab |= words(NATIONAL.name)  # the signed-in account's name ("Kirgan: test-national")
    vocab |= {w for (value,) in con.execute("SELECT value FROM meta WHERE key = 'source'").fetchall()
              for w in words(value)}
    return vocab


def foreign(at, lang: str, con) -> dict[str, str]:
    """``{word: the string it was found in}`` for every word not of ``lang``."""
    vocab = vocabulary(lang, con)
    out = {}
    for s in rendered(at):
        for w in words(s) - vocab:
            out.setdefault(w, s[:120])
    return out


@pytest.mark.parametrize("page, query", RUNS, ids=[f"{p.split('/')[1][:-3]}{'+' if q else ''}" for p, q in RUNS])
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_page__every_rendered_string_is_of_the_language(wh, lang, page, query):
    at = run_app({**query, "lang": lang}, page=page)
    assert len(rendered(at)) > 20
    assert [s for s in rendered(at) if re.fullmatch(r"[a-z_]+(\.[a-zA-Z0-9_]+)+", s)] == []  # no raw key
    con = connect(wh)
    try:
        assert foreign(at, lang, con) == {}
    finally:
        con.close()


def test_page__a_removed_key_shows_up_as_a_foreign_word(wh, monkeypatch):
    """The test above fails on a deliberately removed key: the Uzbek fallback is caught."""
    real = i18n.catalogue
    ru = {k: v for k, v in real("ru").items() if k != "kit.filters.title"}
    monkeypatch.setattr(i18n, "catalogue", lambda lang: ru if lang == "ru" else real(lang))
    at = run_app({"lang": "ru"})
    con = connect(wh)
    try:
        found = foreign(at, "ru", con)
    finally:
        con.close()
    assert found == {"filtrlar": i18n.t("kit.filters.title", "uz")}


def test_page__browser_language_is_used_on_a_first_visit(wh):
    from streamlit.testing.v1 import AppTest
    from kit_helpers import ROOT

    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120), NATIONAL)
    at.context = {"locale": "ru-RU"}
    at.run()
    assert not at.exception
    assert at.title[0].value == i18n.t("page.home.title", "ru")
    assert at.query_params["lang"] == ["ru"] or at.query_params["lang"] == "ru"


def test_page__language_switch_changes_the_page_and_the_url(wh):
    at = run_app({"lang": "uz"})
    assert at.title[0].value == i18n.t("page.home.title", "uz")
    at.sidebar.segmented_control(key="lang_switch").set_value("en").run()
    assert at.title[0].value == i18n.t("page.home.title", "en")
    assert list(at.query_params["lang"]) in (["en"], ["e", "n"])  # AppTest returns a list or a str


def test_page__unknown_language_in_the_url_is_named_and_uzbek_is_used(wh):
    at = run_app({"lang": "de"})
    assert at.title[0].value == i18n.t("page.home.title", "uz")
    assert i18n.t("kit.note.url_fixed", "uz", what=i18n.t("kit.note.key.lang", "uz")) in [w.value for w in at.warning]
