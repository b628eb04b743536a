"""Sign-in, roles and scope as users meet them (AppTest): the sign-in screen, local accounts,
rate limiting, idle expiry, sign-out, every page for a region and a district user, URL and
widget tampering, the admin page and the audit log's entries."""
from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from access import accounts, audit
from access.accounts import User
from kit_helpers import ROOT, connect, last_month, run_app, signed_in
from ui import access
from ui.i18n import t

PASSWORD = "correct horse battery"
REGION_USER = User("aziza", "region", "1724", rights=("analyst",))
DISTRICT_USER = User("dilnoza", "district", "1724235")
PAGES = ("home", "coverage", "growth", "daftar", "inson", "district")


def signin_screen(query=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def submit(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="w_access_name").input(name)
    at.text_input(key="w_access_password").input(password)
    next(b for b in at.button if b.label == t("access.signin.submit", "uz")).click()
    return at.run()


def events(kind=None):
    return audit.store().query(event=kind)


def test_gate__nobody_signed_in_sees_only_the_sign_in_screen(wh):
    at = signin_screen({"region": "1724"})
    assert at.subheader[0].value == t("access.signin.title", "uz")
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox  # nothing of the data
    assert t("access.signin.no_accounts", "uz") in [w.value for w in at.warning]


def test_signin__local_account_then_sign_out(wh):
    accounts.add("aziza", "region", "1724", PASSWORD)
    at = submit(signin_screen(), "aziza", PASSWORD)
    assert not at.exception
    assert at.title[0].value == t("page.home.title", "uz")
    assert any("aziza" in c.value for c in at.sidebar.caption)
    assert [e["user"] for e in events("signin")] == ["aziza"]
    assert events("page")[0]["page"] == "home"
    at.sidebar.button(key="w_access_signout").click().run()
    assert at.subheader[0].value == t("access.signin.title", "uz")
    assert t("access.signin.signed_out", "uz") in [s.value for s in at.success]
    assert [e["user"] for e in events("signout")] == ["aziza"]


def test_signin__wrong_password_then_locked_per_account(wh, monkeypatch):
    monkeypatch.setenv("QAMROV_LOGIN_MAX_FAILURES", "3")
    accounts.add("aziza", "region", "1724", PASSWORD)
    at = signin_screen()
    for _ in range(3):
        submit(at, "aziza", "wrong password!")
        assert t("access.error.wrong", "uz") in [e.value for e in at.error]
    submit(at, "aziza", PASSWORD)  # the right password no longer opens it for a while
    assert t("access.error.locked", "uz", minutes=15) in [e.value for e in at.error]
    assert not at.metric
    failed = events("signin_failed")
    assert len(failed) == 4 and failed[0]["detail"] == "locked"
    assert PASSWORD not in str(failed) and "wrong password!" not in str(failed)  # never logged


def test_signin__locked_per_client_across_names(wh, monkeypatch):
    monkeypatch.setenv("QAMROV_LOGIN_MAX_FAILURES", "3")
    accounts.add("aziza", "region", "1724", PASSWORD)
    at = signin_screen()
    for name in ("a1", "b2", "c3"):  # guessing names from one client
        submit(at, name, "whatever password")
    submit(at, "aziza", PASSWORD)
    assert t("access.error.locked", "uz", minutes=15) in [e.value for e in at.error]


def test_session__expires_after_idle_time(wh, monkeypatch):
    monkeypatch.setenv("QAMROV_IDLE_MINUTES", "1")
    at = run_app(page="pages/home.py", user=REGION_USER)
    at.session_state[access.SESSION]["last"] = time.time() - 120
    at.run()
    assert at.subheader[0].value == t("access.signin.title", "uz")
    assert t("access.signin.expired", "uz", minutes=1) in [i.value for i in at.info]
    assert [e["user"] for e in events("expired")] == ["aziza"]


def test_demo_mode__sign_in_screen_lists_demo_accounts(wh):
    accounts.ensure_demo()
    at = signin_screen()
    note = next(i.value for i in at.info if t("access.demo.note", "uz") in i.value)
    assert "demo-region" in note and accounts.demo_password("demo-region") in note
    assert submit(at, "demo-district", accounts.demo_password("demo-district")).title[0].value == \
        t("page.home.title", "uz")


@pytest.mark.parametrize("page", PAGES)
def test_region_user__every_page_shows_only_its_region(wh, page):
    at = run_app({"district": "1724235"} if page == "district" else None, page=f"pages/{page}.py",
                 user=REGION_USER)
    assert not at.error, [e.value for e in at.error]
    if page != "district":
        assert at.sidebar.selectbox(key="w_region").value == "1724"  # starts in its own region
        assert at.sidebar.selectbox(key="w_region").options == [t("kit.filters.all_regions", "uz"),
                                                                "Sirdaryo viloyati"]
        assert len(at.sidebar.multiselect(key="w_districts").options) == 11
    for df in at.dataframe:
        v = df.value
        for col in ("SOATO",):
            if col in v:
                assert v[col].astype(str).str.startswith("1724").all()
    names = set(connect(wh).execute("SELECT name_uz FROM ref_districts WHERE region_soato <> '1724'").df()["name_uz"])
    for df in at.dataframe:
        cells = {str(x) for x in df.value.to_numpy().ravel()}
        assert not cells & names, page  # no district of another region in any table


TAMPERING = [  # (URL query, what the page must do)
    ({"region": "1703"}, "scope_region"),                       # another region's code
    ({"districts": "1703202,1724235"}, "scope_districts"),      # another region's district in a list
    ({"district": "1703202"}, "scope_district"),                # another district's profile / card
    ({"region": "1703", "districts": "1703202"}, "scope_region"),
    ({"scope": "national", "scope_region": "", "role": "national", "level": "national"}, None),  # scope-like keys
]


@pytest.mark.parametrize("query, note", TAMPERING)
def test_region_user__url_tampering_never_widens(wh, query, note):
    at = run_app(query, page="pages/coverage.py", user=REGION_USER)
    warnings = [w.value for w in at.warning]
    if note:
        assert t(f"access.note.{note}", "uz", scope="Sirdaryo viloyati") in warnings
    table = at.dataframe[0].value
    assert len(table) == (1 if "1724235" in query.get("districts", "") else 11)  # Sirdaryo's, never more
    assert at.query_params.get("region") in (None, "1724")
    assert all(d.startswith("1724") for d in at.query_params.get("districts", "").split(",") if d)


def test_region_user__crafted_widget_and_session_values_never_widen(wh):
    at = run_app(page="pages/coverage.py", user=REGION_USER)
    at.session_state["qf"]["region"] = "1703"                 # session state written by hand
    at.session_state["qf"]["districts"] = ("1703202",)
    at.run()
    assert len(at.dataframe[0].value) == 11
    assert at.query_params.get("region") == "1724"
    with pytest.raises(Exception):  # a value the widget does not offer is refused by the widget itself
        at.sidebar.selectbox(key="w_region").select("1703").run()


def test_district_user__profile_of_another_district_is_refused(wh):
    at = run_app({"district": "1724212"}, page="pages/district.py", user=DISTRICT_USER)
    name = connect(wh).execute("SELECT name_uz FROM ref_districts WHERE district_soato = '1724235'").fetchone()[0]
    assert t("access.note.scope_district", "uz", scope=name) in [w.value for w in at.warning]
    assert not at.metric  # nothing of 1724212 is shown
    at = run_app({"district": "1724235"}, page="pages/district.py", user=DISTRICT_USER)
    assert not at.error
    assert at.title[0].value == t("district.title", "uz", district=name)
    side = at.dataframe[0].value  # its district, its region and the country (as totals)
    assert [t(f"district.level.{lv}", "uz") for lv in ("district", "region", "country")] == list(side.columns[1:4])


def test_district_user__sees_only_its_district_in_tables(wh):
    at = run_app(page="pages/coverage.py", user=DISTRICT_USER)
    assert len(at.dataframe[0].value) == 1
    assert at.query_params["districts"] == "1724235"


def test_exports__only_for_the_analyst_right(wh):
    at = run_app(page="pages/coverage.py", user=User("nodira", "national"))
    assert not at.download_button
    assert t("access.no_export", "uz") in " ".join(c.value for c in at.caption)


def test_audit_page__admins_only(wh):
    at = run_app(page="pages/audit.py", user=User("root", "national", rights=("admin",)))
    assert at.title[0].value == t("page.audit.title", "uz")
    assert any(e == "page" for e in at.dataframe[0].value[t("access.audit.col.event", "uz")].map(
        {t(f"access.event.{k}", "uz"): k for k in audit.EVENTS}))
    at = run_app(page="pages/home.py", user=REGION_USER)
    assert "audit" not in [p for p in ("audit",) if any(t("page.audit.title", "uz") in str(x) for x in at.sidebar)]




def test_navigable__an_admin_page_named_in_the_address_refuses_itself():
    """A non-admin who opens /audit gets the page (which refuses, recorded), never Streamlit's
    "Page not found" dialog; on any other address the page is not in the navigation."""
    from ui import access as ui_access, registry

    ids = lambda url, user: [s.id for s in ui_access.navigable(registry.PAGES, user, url)]  # noqa: E731
    assert "audit" not in ids("http://127.0.0.1:8501/coverage?region=1703", REGION_USER)
    assert "audit" in ids("http://127.0.0.1:8501/audit?lang=ru", REGION_USER)
    assert "audit" in ids("http://qamrov.agency.uz/qamrov/audit/", None)  # behind a path prefix
    assert "audit" in ids(None, User("root", "national", rights=("admin",)))
    assert ids(None, REGION_USER) == [s.id for s in registry.PAGES if not s.admin]
