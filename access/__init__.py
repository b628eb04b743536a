"""Accounts, roles and the audit log: the part of sign-in that needs no Streamlit.

``access.accounts`` keeps the users file (argon2id hashes, role, scope, rights) that
``python -m qamrov users`` manages; ``access.audit`` is the append-only audit store.
The dashboard's sign-in screens (``ui/access.py``) and the CLI both use them.
"""
