"""Fixtures every area's tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES_DIR = (REPO.parent / "shared" / "fixtures" / "opensid").resolve()


@pytest.fixture
def FIXTURES() -> Path:  # noqa: N802 - reads like the constant it is
    if not FIXTURES_DIR.is_dir():
        pytest.fail(f"the shared OpenSID fixtures are missing: {FIXTURES_DIR}")
    return FIXTURES_DIR


@pytest.fixture
def semenit_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SEMENIT_HOME", str(home))
    monkeypatch.setenv("SEMENIT_CONFIG", str(home / "semenit.toml"))
    return home
