"""``python -m qamrov users``: manage the dashboard's local accounts (the users file).

Passwords are read from the terminal (twice, not echoed) or, for scripts, from standard
input with ``--password-stdin``; they are never shown, logged or accepted as an option.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from qamrov.command import Command

EXAMPLES = """examples:
  python -m qamrov users add aziza --role region --soato 1703 --rights analyst
  python -m qamrov users add bobur --role national --rights admin,analyst --email bobur@agency.uz
  python -m qamrov users list
  python -m qamrov users disable aziza
  python -m qamrov users reset aziza
  python -m qamrov users prepare        # cookie secret (+ demo accounts with QAMROV_DEMO_ACCOUNTS=1)"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with an example
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n\n{EXAMPLES}\n")
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m qamrov users", description="Manage the dashboard's accounts (setting "
                 "QAMROV_USERS_FILE). Roles: national, region (--soato 4 digits), district (--soato 7 digits); "
                 "rights: analyst (exports), admin (accounts and the audit page).", epilog=EXAMPLES,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="action", metavar="{add,list,disable,enable,reset,prepare}", parser_class=_Parser)
    a = sub.add_parser("add", help="add an account (asks for its password)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=("national", "region", "district"))
    a.add_argument("--soato", help="region (4 digits) or district (7 digits) of a region/district account")
    a.add_argument("--rights", default="", help="comma-separated: analyst, admin")
    a.add_argument("--email", help="e-mail claim that maps a single sign-on user to this account")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("list", help="list the accounts (never the hashes)")
    for name, what in (("disable", "stop an account from signing in"), ("enable", "let it sign in again")):
        sub.add_parser(name, help=what).add_argument("name")
    r = sub.add_parser("reset", help="give an account a new password (asks for it)")
    r.add_argument("name")
    r.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("prepare", help="create the cookie secret file if missing; with QAMROV_DEMO_ACCOUNTS=1 on "
                                   "the synthetic demo warehouse, the demo accounts")
    return ap


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise SystemExit("the two passwords differ; nothing changed")
    return first


def run(argv: list[str]) -> int:
    ap = parser()
    a = ap.parse_args(argv)
    if not a.action:
        ap.error("say what to do: add, list, disable, enable, reset or prepare")
    from access import accounts

    try:
        if a.action == "add":
            rights = tuple(r.strip() for r in a.rights.split(",") if r.strip())
            bad = set(rights) - set(accounts.RIGHTS)
            if bad:
                ap.error(f"unknown right(s) {', '.join(sorted(bad))}: use analyst, admin")
            accounts.check_role(a.role, a.soato)
            u = accounts.add(a.name, a.role, a.soato, _password(a.password_stdin), rights=rights, email=a.email)
            print(f"added {u.name}: {u.level}{' ' + u.soato if u.soato else ''}"
                  f"{' +' + ','.join(u.rights) if u.rights else ''} ({accounts.path()})")
        elif a.action == "list":
            rows = accounts.listing()
            if not rows:
                print(f"no accounts in {accounts.path()} (add one with `python -m qamrov users add`)")
            for r in rows:
                flags = " ".join(f for f, on in (("disabled", r.get("disabled")), ("demo", r.get("demo"))) if on)
                print(f"{r['name']:<24} {r['role']:<9} {r.get('soato') or '-':<8} "
                      f"{','.join(r.get('rights') or []) or '-':<14} {r.get('email') or '-':<28} {flags}".rstrip())
        elif a.action in ("disable", "enable"):
            accounts.set_disabled(a.name, a.action == "disable")
            print(f"{a.name} {a.action}d")
        elif a.action == "reset":
            accounts.reset(a.name, _password(a.password_stdin))
            print(f"new password set for {a.name}")
        else:
            from access import serving
            for line in serving.prepare():
                print(line)
    except accounts.AccountError as exc:
        print(f"users {a.action}: {exc}", file=sys.stderr)
        return 1
    return 0


COMMAND = Command("users", "manage the dashboard's accounts: add, list, disable, enable, reset, prepare", run)
