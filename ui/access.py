"""Sign-in, the signed-in session, rights and the audit trail of the dashboard.

``app.py`` calls :func:`gate` before anything reads the warehouse: it returns the signed-in
:class:`access.accounts.User` or draws the sign-in screen and stops the run. Two ways in:

* **Local accounts** (the users file, ``python -m qamrov users``): name and password checked
  against the argon2id hash; failed attempts are counted in the audit log per account and per
  client address, and after ``LOGIN_MAX_FAILURES`` within ``LOGIN_LOCK_MINUTES`` sign-in is
  refused for that long. The session lives in this browser tab's Streamlit session and ends
  after ``IDLE_MINUTES`` without activity, or with "Sign out".
* **Single sign-on** (OpenID Connect through ``st.login`` / ``st.user`` / ``st.logout``), when
  the secrets file has an ``[auth]`` section with a provider: the provider's ``email`` claim
  is looked up in the users file (``users add --email``), which gives role, scope and rights;
  an e-mail with no enabled account is refused.

:func:`current_user` is what :func:`ui.scope.current_scope` maps to a Scope.
"""
from __future__ import annotations

import time

import streamlit as st

import settings
from access import accounts, audit
from access.accounts import User
from ui.i18n import t

SESSION = "qamrov_session"
_PAGE_SEEN = "qamrov_audit_page"


def store() -> audit.Audit:
    return audit.store()


def client() -> str:
    """The client's address as the server saw it (``local`` for localhost)."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no session context (a test, a tool)
        return "local"
    return ip[:64] if isinstance(ip, str) and ip else "local"


def current_user() -> User | None:
    s = st.session_state.get(SESSION) if st.runtime.exists() else None
    return s["user"] if s else None


def _secrets_auth() -> dict:
    try:
        auth = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file, or an unreadable one
        return {}
    return dict(auth) if auth else {}


def providers() -> list[str]:
    """The single sign-on providers configured in the secrets file (``[auth.<name>]``;
    ``""`` for an unnamed ``[auth]`` with a ``client_id``)."""
    auth = _secrets_auth()
    named = [k for k, v in auth.items() if hasattr(v, "keys") and "client_id" in v and "_" not in k]
    return named or ([""] if "client_id" in auth else [])


def demo_allowed() -> bool:
    """Demo accounts open only the synthetic demo warehouse."""
    from access.serving import synthetic_source
    from queries.runner import Scope
    from ui.data import run
    try:
        p = run("provenance", Scope.national())
    except Exception:  # noqa: BLE001 - no warehouse: nothing to open with a demo account either
        return False
    return not p.empty and synthetic_source(p.iloc[0]["source"])


def _start(user: User) -> None:
    now = time.time()
    st.session_state[SESSION] = {"user": user, "since": now, "last": now}
    store().append("signin", user=user.name, client=client(), detail=user.via)


def sign_out() -> None:
    s = st.session_state.pop(SESSION, None)
    st.session_state.pop(_PAGE_SEEN, None)
    if s:
        store().append("signout", user=s["user"].name, client=client())
        st.session_state["qamrov_signed_out"] = True


def _locked(name: str) -> bool:
    limit, minutes = settings.get("LOGIN_MAX_FAILURES"), settings.get("LOGIN_LOCK_MINUTES")
    log = store()
    return log.failures(user=name, minutes=minutes) >= limit or log.failures(client=client(), minutes=minutes) >= limit


def try_password(name: str, password: str) -> str | None:
    """Sign in with a local account; returns the catalogue key of the error, or None."""
    name = (name or "").strip()[:64]
    if not name or not password:
        return "access.error.empty"
    if _locked(name):
        store().append("signin_failed", user=name, client=client(), detail="locked")
        return "access.error.locked"
    try:
        user = accounts.authenticate(name, password, allow_demo=demo_allowed())
    except accounts.AccountError:
        user = None
    if user is None:
        store().append("signin_failed", user=name, client=client(), detail="password")
        return "access.error.wrong"
    _start(user)
    return None


def _oidc_user() -> User | None | bool:
    """The account of the single sign-on user (False: signed in at the provider but no account)."""
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:  # noqa: BLE001 - auth not configured
        return None
    user = accounts.by_email(email)
    if user is None:
        store().append("signin_failed", user=str(email or "?")[:64], client=client(), detail="oidc: no account")
        return False
    return user


def gate() -> User:
    """The signed-in user; otherwise the sign-in screen is drawn and the run stops."""
    s = st.session_state.get(SESSION)
    now = time.time()
    if s:
        if now - s["last"] <= 60 * settings.get("IDLE_MINUTES"):
            s["last"] = now
            return s["user"]
        store().append("expired", user=s["user"].name, client=client())
        st.session_state.pop(SESSION, None)
        st.session_state["qamrov_expired"] = True
    if providers():
        oidc = _oidc_user()
        if oidc:
            _start(oidc)
            return oidc
        if oidc is False:
            _screen(refused=True)
            st.stop()
    _screen()
    st.stop()


def _screen(refused: bool = False) -> None:
    """The sign-in screen."""
    _, mid, _ = st.columns([1, 2, 1])
    with mid:
        st.title(t("app.title"))
        st.subheader(t("access.signin.title"))
        if st.session_state.pop("qamrov_expired", False):
            st.info(t("access.signin.expired", minutes=settings.get("IDLE_MINUTES")))
        if st.session_state.pop("qamrov_signed_out", False):
            st.success(t("access.signin.signed_out"))
        if refused:
            st.error(t("access.error.oidc_no_account"))
            st.button(t("access.signout"), on_click=st.logout, key="w_access_oidc_out")
            return
        with st.form("signin", border=True):
            name = st.text_input(t("access.signin.name"), key="w_access_name", max_chars=64)
            password = st.text_input(t("access.signin.password"), type="password", key="w_access_password",
                                     max_chars=256)
            go = st.form_submit_button(t("access.signin.submit"), type="primary")
        if go:
            err = try_password(name, password)
            if err is None:
                st.rerun()
            st.error(t(err, minutes=settings.get("LOGIN_LOCK_MINUTES")))
        for p in providers():
            st.button(t("access.signin.sso", provider=p or "SSO"), key=f"w_access_sso_{p or 'default'}",
                      on_click=st.login, args=(p,) if p else (), icon=":material/key:")
        if accounts.has_demo() and demo_allowed():
            names = "\n".join("- `{}` / `{}` — {}".format(n, accounts.demo_password(n), t(f"access.demo.{n}"))
                              for n, *_ in accounts.DEMO)
            st.info(t("access.demo.note") + "\n\n" + names, icon=":material/science:")
        elif not accounts.load():
            st.warning(t("access.signin.no_accounts"))
        st.caption(t("access.signin.privacy"))


def sidebar(user: User, scope_label: str) -> None:
    """Who is signed in, their access, and the sign-out button."""
    sb = st.sidebar
    sb.caption(t("access.signed_in", name=user.name, scope=scope_label))
    if user.via == "oidc":
        sb.button(t("access.signout"), key="w_access_signout", icon=":material/logout:",
                  on_click=lambda: (sign_out(), st.logout()))
    else:
        sb.button(t("access.signout"), key="w_access_signout", icon=":material/logout:", on_click=sign_out)


def log_page(page: str, filters: dict) -> None:
    """Append a page view with its filter state (once per page and filter state of a session)."""
    user = current_user()
    seen = (page, tuple(sorted(filters.items())))
    if user is None or st.session_state.get(_PAGE_SEEN) == seen:
        return
    st.session_state[_PAGE_SEEN] = seen
    store().append("page", user=user.name, client=client(), page=page, filters=filters)


def may_open(spec, user: User | None) -> bool:
    """Whether ``user`` may open the page ``spec`` (an admin page needs the admin right)."""
    return not getattr(spec, "admin", False) or bool(user and user.is_admin)


def navigable(specs, user: User | None, url: str | None) -> list:
    """The pages of the navigation: those ``user`` may open, and the one the address names.

    A non-admin (or nobody yet signed in) who opens ``/audit`` then gets the page's own refusal
    (:func:`require_admin`, recorded) instead of Streamlit's English "Page not found" dialog;
    the page stays out of the menu on every other run."""
    from urllib.parse import urlsplit

    asked = urlsplit(url or "").path.rstrip("/").rsplit("/", 1)[-1]
    return [s for s in specs if may_open(s, user) or s.id == asked]


def can_export() -> bool:
    user = current_user()
    return bool(user and user.can_export)


def export_logger(fmt: str, what: str = ""):
    """A function that appends an export (rows, format) for the user, page and filters of this
    run (the download itself is served later, outside this script run)."""
    user, where = current_user(), client()
    spec = st.session_state.get("qf_spec")
    cur = st.session_state.get("qf_current")
    page, filters = getattr(spec, "id", None), (cur.to_url() if cur is not None else {})

    def logged(rows: int) -> None:
        store().append("export", user=user.name if user else None, client=where, page=page, filters=filters,
                       rows=int(rows), format=fmt, detail=what)
    return logged


def denied(what: str) -> None:
    """Record a request refused because it lies outside the viewer's scope or rights."""
    user = current_user()
    store().append("denied", user=user.name if user else None, client=client(), detail=what)


EVENTS = audit.EVENTS


def require_admin() -> bool:
    """True for an admin; otherwise says so (and records the attempt)."""
    user = current_user()
    if user and user.is_admin:
        return True
    denied("audit page")
    st.warning(t("access.admin_only"), icon=":material/lock:")
    return False


def retention_days() -> int:
    return settings.get("AUDIT_RETENTION_DAYS")


def audit_rows(event: str | None = None, user: str | None = None, since=None) -> list[dict]:
    """Audit entries for the admin page (admins only)."""
    if not (current_user() and current_user().is_admin):
        return []
    return store().query(event=event, user=user, since=since.isoformat() if since else None)


def accounts_rows() -> list[dict]:
    """The accounts without hashes (admins only)."""
    if not (current_user() and current_user().is_admin):
        return []
    rows = accounts.listing()
    for r in rows:
        r["rights"] = ",".join(r.get("rights") or [])
    return rows
