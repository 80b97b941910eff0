"""Fixtures every area's tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES_DIR = (REPO.parent / "shared" / "fixtures" / "opensid").resolve()
# Fixtures every test that touches real OpenSID files asks for (directly or through another fixture).
_NEEDS_SHARED = {"FIXTURES", "resident_store", "shared_fixtures", "cold_unit"}

# CUPS's tools (cupsd, lpadmin, lpinfo) live in /usr/sbin on Debian, which a non-root user's PATH often
# lacks: the printing tests then said "cupsd is missing" although it is installed.
os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"])


def _stop_without_shared(items) -> None:
    """Without ../shared every test that reads OpenSID's files would fail on its own (54 errors): say once
    what is missing and where it must be, and stop."""
    if FIXTURES_DIR.is_dir():
        return
    needing = [item for item in items if _NEEDS_SHARED & set(getattr(item, "fixturenames", ()))]
    if needing:
        pytest.exit(f"{len(needing)} selected tests need the shared OpenSID fixtures, missing at {FIXTURES_DIR}: "
                    f"clone this repository next to the project's `shared` folder (see README, Quick start).",
                    returncode=4)


@pytest.fixture(autouse=True)
def _default_language():
    """A test that switches language (the CLI's --lang, the kiosk's switch) does not leak it."""
    from appliance.i18n import DEFAULT_LANGUAGE, set_language

    yield
    set_language(DEFAULT_LANGUAGE)


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


@pytest.fixture
def resident_store(semenit_home, FIXTURES):
    """A store in `semenit_home` holding the 97 residents of OpenSID's contoh_penduduk.xlsx."""
    from appliance.residents.importing import commit_import, plan_import
    from appliance.residents.store import ResidentStore

    store = ResidentStore.open(semenit_home)
    commit_import(plan_import(FIXTURES / "contoh_penduduk.xlsx", store), store)
    return store


@pytest.fixture
def demo_store(semenit_home, tmp_path):
    """A store in `semenit_home` holding 200 synthetic residents (appliance.residents.demo, seed 1)."""
    from appliance.residents import demo
    from appliance.residents.importing import commit_import, plan_import
    from appliance.residents.store import ResidentStore

    path = tmp_path / "demo.csv"
    demo.write_csv(demo.generate(200, seed=1), path)
    store = ResidentStore.open(semenit_home)
    commit_import(plan_import(path, store), store)
    return store


# `make test-fast` runs what needs no display server, no cupsd and no Debian root: the tests that need
# one are marked here, from the fixtures they use and where they live, so a new test is marked by
# what it asks for, not by someone remembering to.
NEEDS = {
    "display": {"fixtures": {"ui_display"}, "files": {"tests/proof/test_proof_usb_kiosk.py"}},
    "cups": {"fixtures": {"cups_pdf", "proof_cups"}, "files": set()},
    "debroot": {"fixtures": set(), "files": {"tests/provisioning"}},
}


def pytest_collection_modifyitems(session, config, items):
    _stop_without_shared(items)
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(REPO).as_posix()
        for marker, need in NEEDS.items():
            if need["fixtures"] & set(item.fixturenames) or any(
                    where == f or where.startswith(f + "/") for f in need["files"]):
                item.add_marker(marker)
