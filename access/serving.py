"""What a dashboard process needs before it serves: the shared cookie secret, and the
demo accounts when it serves the synthetic demo warehouse (``python -m qamrov users prepare``,
run by ``make run``)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import duckdb

import settings
from access import accounts

#: ``meta.source`` of a warehouse ingested from the synthetic generator (data/generate/params.py).
SYNTHETIC_PREFIX = "Qamrov synthetic generator"


def is_synthetic(warehouse: Path | None = None) -> bool:
    """Whether the warehouse was built from the synthetic generator's demo or test extract."""
    p = warehouse or settings.path("WAREHOUSE")
    try:
        con = duckdb.connect(str(p), read_only=True)
    except (duckdb.Error, OSError):
        return False
    try:
        meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('source', 'scale')").fetchall())
    except duckdb.Error:
        return False
    finally:
        con.close()
    return synthetic_source(meta.get("source"))


def synthetic_source(source) -> bool:
    """Whether a warehouse's ``meta.source`` names the synthetic generator."""
    return str(source or "").startswith(SYNTHETIC_PREFIX)


SECRETS_TEMPLATE = """# Qamrov: generated on first start; shared by every dashboard process. Never commit it.
[auth]
cookie_secret = "{secret}"
# Single sign-on (OpenID Connect through st.login): uncomment and fill in, then restart.
# The provider's e-mail claim must match the --email of an account (python -m qamrov users add).
# redirect_uri = "http://localhost:8501/oauth2callback"
# [auth.agency]            # provider name: letters and digits, no underscore
# client_id = "qamrov"
# client_secret = "..."
# server_metadata_url = "https://sso.agency.uz/.well-known/openid-configuration"
"""


def ensure_secrets(p: Path | None = None) -> bool:
    """Create the Streamlit secrets file with a random cookie secret when it is missing
    (mode 0600, outside git); returns True when it was created. An ``[auth]`` section for
    single sign-on is added to the same file by whoever configures the provider."""
    p = p or settings.path("SECRETS_FILE")
    if p.exists():
        return False
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(SECRETS_TEMPLATE.format(secret=secrets.token_urlsafe(32)))
    return True


def prepare() -> list[str]:
    """The start-up steps of ``make run``; returns one line per thing done."""
    out = []
    sp = settings.path("SECRETS_FILE")
    out.append(f"cookie secret created in {sp}" if ensure_secrets(sp) else f"cookie secret: {sp}")
    if settings.get("DEMO_ACCOUNTS"):
        if is_synthetic():
            made = accounts.ensure_demo()
            names = ", ".join(f"{n} / {accounts.demo_password(n)}" for n, *_ in accounts.DEMO)
            out.append(f"demo accounts {'created' if made else 'ready'} in {accounts.path()}: {names}")
        else:
            out.append("QAMROV_DEMO_ACCOUNTS is set but the warehouse is not the synthetic demo: no demo accounts")
    elif not accounts.load():
        out.append(f"no accounts yet in {accounts.path()}: add one with `python -m qamrov users add NAME "
                   f"--role national --rights admin`")
    return out
