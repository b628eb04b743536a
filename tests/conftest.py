"""Shared fixtures: one small generated extract and the warehouse ingested from it.

Scale ``test`` is the generator's smallest realistic scale (every district,
a fraction of a percent of the national volume), so the whole suite stays fast.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEST_SEED = 20241


@pytest.fixture(scope="session")
def extracts_dir(tmp_path_factory) -> Path:
    """A ``test``-scale extract folder (Parquet + manifest.json)."""
    from data.generate import generate

    out = tmp_path_factory.mktemp("extracts")
    generate(scale="test", out=out, seed=TEST_SEED)
    return out


@pytest.fixture(scope="session")
def warehouse(extracts_dir, tmp_path_factory) -> Path:
    """Path of a warehouse ingested from :func:`extracts_dir`."""
    from data.ingest import ingest

    path = tmp_path_factory.mktemp("warehouse") / "qamrov.duckdb"
    result = ingest(extracts_dir, warehouse=path, work_dir=path.parent)
    assert result.ok, result.message
    return path


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` (read-only third-party material); skips when absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository (third-party test material)")
    return SHARED


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch):
    """Every test gets its own users file, audit log and secrets file (never the installation's)."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("QAMROV_USERS_FILE", str(state / "users.json"))
    monkeypatch.setenv("QAMROV_AUDIT_DB", str(state / "audit.sqlite"))
    monkeypatch.setenv("QAMROV_SECRETS_FILE", str(state / "secrets.toml"))
    return state


@pytest.fixture
def wh(warehouse, monkeypatch):
    """The test warehouse, served to the app (``QAMROV_WAREHOUSE``)."""
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(warehouse))
    return warehouse
