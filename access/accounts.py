"""Local accounts: the users file, argon2id password hashes, roles and scopes.

The users file (setting ``USERS_FILE``, outside the repository) is a JSON object
``{"users": {name: record}}``; a record holds the role (``national``, ``region``,
``district``), the SOATO code of a region or district scope, the extra rights
(``analyst``: exports; ``admin``: users and the audit page), an optional e-mail (the
single sign-on claim that maps a person to the account), the argon2id hash, and
``disabled`` / ``demo`` flags. Passwords are never stored, shown or logged.

>>> u = User("a", "region", "1703", rights=("analyst",))
>>> (u.level, u.soato, u.can_export, u.is_admin)
('region', '1703', True, False)
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

import settings

ROLES = ("national", "region", "district")
RIGHTS = ("analyst", "admin")
#: A user name: letters, digits, dot, dash, underscore, @ (an e-mail works), 2-64 characters.
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,63}")
MIN_PASSWORD = 10
_HASHER = PasswordHasher()  # argon2id, the library's current recommended parameters
#: A hash that no password matches: verifying against it costs as much as a real one, so an
#: unknown name takes as long to refuse as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request the users file cannot satisfy (the message is safe to show)."""


@dataclass(frozen=True)
class User:
    """A signed-in person as the dashboard sees it (no hash)."""

    name: str
    level: str = "national"
    soato: str | None = None
    rights: tuple[str, ...] = ()
    email: str | None = None
    demo: bool = False
    via: str = "password"

    def __post_init__(self):
        check_role(self.level, self.soato)
        bad = set(self.rights) - set(RIGHTS)
        if bad:
            raise AccountError(f"unknown right(s) {sorted(bad)}: use {', '.join(RIGHTS)}")

    @property
    def can_export(self) -> bool:
        return "analyst" in self.rights or "admin" in self.rights

    @property
    def is_admin(self) -> bool:
        return "admin" in self.rights


def check_role(level: str, soato: str | None) -> None:
    """Raise :class:`AccountError` unless ``level`` and ``soato`` make a scope."""
    if level not in ROLES:
        raise AccountError(f"role {level!r} is not one of {', '.join(ROLES)} (e.g. --role region --soato 1703)")
    if level == "national" and soato:
        raise AccountError("a national account has no --soato")
    if level == "region" and not re.fullmatch(r"\d{4}", soato or ""):
        raise AccountError(f"a region account needs --soato with a 4-digit region code (e.g. 1703), not {soato!r}")
    if level == "district" and not re.fullmatch(r"\d{7}", soato or ""):
        raise AccountError(f"a district account needs --soato with a 7-digit district code (e.g. 1703202), "
                           f"not {soato!r}")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if password.strip() != password or not password.strip():
        raise AccountError("a password may not start or end with blanks")


def path() -> Path:
    return settings.path("USERS_FILE")


@contextlib.contextmanager
def _locked(p: Path):
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p.with_name("." + p.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def load(p: Path | None = None) -> dict[str, dict]:
    """Every record of the users file (empty when the file does not exist)."""
    p = p or path()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise AccountError(f"users file {p} cannot be read ({exc}); restore it from a backup") from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise AccountError(f"users file {p} has no \"users\" object; restore it from a backup")
    return users


def _save(users: dict[str, dict], p: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix="." + p.name + ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"users": users}, fh, indent=1, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def to_user(name: str, rec: dict, via: str = "password") -> User:
    return User(name=name, level=rec["role"], soato=rec.get("soato"), rights=tuple(rec.get("rights", ())),
                email=rec.get("email"), demo=bool(rec.get("demo")), via=via)


def add(name: str, role: str, soato: str | None, password: str, *, rights=(), email: str | None = None,
        demo: bool = False, p: Path | None = None) -> User:
    """Add an account; raises :class:`AccountError` when the name exists or a field is wrong."""
    p = p or path()
    if not NAME_RE.fullmatch(name or ""):
        raise AccountError(f"user name {name!r}: 2-64 letters, digits, '.', '-', '_' or '@' (e.g. aziza.karimova)")
    check_role(role, soato)
    check_password(password)
    user = User(name, role, soato or None, tuple(sorted(set(rights))), email or None, demo)
    with _locked(p):
        users = load(p)
        if name in users:
            raise AccountError(f"user {name!r} exists already (use `users reset` for a new password)")
        if email and any(r.get("email", "").lower() == email.lower() for r in users.values()):
            raise AccountError(f"e-mail {email!r} belongs to another account already")
        users[name] = {"role": role, "soato": soato or None, "rights": list(user.rights), "email": email or None,
                       "hash": _HASHER.hash(password), "disabled": False, "demo": demo, "created": _now()}
        _save(users, p)
    return user


def set_disabled(name: str, disabled: bool = True, p: Path | None = None) -> None:
    p = p or path()
    with _locked(p):
        users = load(p)
        if name not in users:
            raise AccountError(f"no user {name!r} (see `users list`)")
        users[name]["disabled"] = disabled
        _save(users, p)


def reset(name: str, password: str, p: Path | None = None) -> None:
    """Give ``name`` a new password (and enable the account)."""
    p = p or path()
    check_password(password)
    with _locked(p):
        users = load(p)
        if name not in users:
            raise AccountError(f"no user {name!r} (see `users list`)")
        users[name].update(hash=_HASHER.hash(password), disabled=False)
        _save(users, p)


def authenticate(name: str, password: str, *, allow_demo: bool, p: Path | None = None) -> User | None:
    """The account when ``password`` is right and the account enabled, else None.

    Demo accounts are accepted only when ``allow_demo`` (the synthetic demo warehouse):
    a documented password never opens a real installation."""
    users = load(p)
    rec = users.get(name or "")
    hashed = rec.get("hash") if rec else None
    try:
        _HASHER.verify(hashed or _DUMMY, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if rec is None or rec.get("disabled") or (rec.get("demo") and not allow_demo):
        return None
    return to_user(name, rec)


def by_email(email: str | None, p: Path | None = None) -> User | None:
    """The enabled account whose e-mail is ``email`` (the single sign-on mapping), else None."""
    if not email:
        return None
    for name, rec in load(p).items():
        if (rec.get("email") or "").lower() == email.lower() and not rec.get("disabled"):
            return to_user(name, rec, via="oidc")
    return None


def listing(p: Path | None = None) -> list[dict]:
    """Every account without its hash (for ``users list`` and the admin page)."""
    return [{"name": n, **{k: v for k, v in r.items() if k != "hash"}} for n, r in sorted(load(p).items())]


#: The demo accounts `make run` creates on the synthetic demo warehouse (documented in README).
#: The password of each is its name followed by "-demo" (e.g. demo-national / demo-national-demo).
DEMO = (
    ("demo-national", "national", None, ()),
    ("demo-region", "region", "1703", ()),
    ("demo-district", "district", "1703202", ()),
    ("demo-analyst", "national", None, ("analyst",)),
    ("demo-admin", "national", None, ("admin", "analyst")),
)


def demo_password(name: str) -> str:
    return f"{name}-demo"


def ensure_demo(p: Path | None = None) -> list[str]:
    """Create the missing demo accounts; returns the names created."""
    have = load(p)
    made = []
    for name, role, soato, rights in DEMO:
        if name not in have:
            add(name, role, soato, demo_password(name), rights=rights, demo=True, p=p)
            made.append(name)
    return made


def has_demo(p: Path | None = None) -> bool:
    return any(r.get("demo") for r in load(p).values())


def asdict_user(u: User) -> dict:
    return asdict(u)


__all__ = ["User", "AccountError", "add", "authenticate", "by_email", "reset", "set_disabled", "listing",
           "ensure_demo", "has_demo", "DEMO", "demo_password", "replace", "field"]
