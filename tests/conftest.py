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
def catalog():
    """The shipped letter catalog."""
    from appliance.letters.catalog import load_catalog

    return load_catalog()


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


@pytest.fixture(scope="session")
def session_cupsd():
    """The run's private cupsd (tests/cupsd.py). CUPS_SERVER points this process and every tool it starts
    (the app's `lp`, the tests' `cupsdisable`) at it for the rest of the session."""
    from tests.cupsd import private_cupsd

    with private_cupsd() as cups:
        before = os.environ.get("CUPS_SERVER")
        os.environ["CUPS_SERVER"] = cups.socket
        try:
            yield cups
        finally:
            if before is None:
                os.environ.pop("CUPS_SERVER", None)
            else:
                os.environ["CUPS_SERVER"] = before


# `make test-fast` runs what needs no display server, no cupsd and no Debian root, and leaves out the few
# long runs (the soak, the SIGKILL loops, several processes at once): the tests that need one are marked
# here, from the fixtures they use and where they live (a path, or a path::test), so a new test is marked
# by what it asks for, not by someone remembering to. `make test` runs them all.
NEEDS = {
    "display": {"fixtures": {"ui_display"}, "places": {
        "tests/proof/test_proof_usb_kiosk.py",
        "tests/proof/test_proof_secrets.py::test_no_nik_or_pin_in_any_log_output_or_crash_file",  # a ui-tour
    }},
    "cups": {"fixtures": {"session_cupsd", "cups_pdf", "proof_cups", "private_cups"}, "places": set()},
    "debroot": {"fixtures": set(), "places": {"tests/provisioning"}},
    "slow": {"fixtures": {"zygote"}, "places": {
        "tests/proof/test_proof_soak.py",
        "tests/letters/test_letters_numbering.py::test_four_processes_issue_1000_distinct_numbers_without_gaps",
        "tests/residents/test_residents_store.py::test_sigkill_during_commit_leaves_old_or_new",
    }},
}


def _at(nodeid: str, place: str) -> bool:
    return nodeid == place or nodeid.startswith(place + "/") or nodeid.startswith(place + "::")


def pytest_collection_modifyitems(session, config, items):
    _stop_without_shared(items)
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(REPO).as_posix()
        nodeid = where + item.nodeid[item.nodeid.index("::"):] if "::" in item.nodeid else where
        for marker, need in NEEDS.items():
            if need["fixtures"] & set(item.fixturenames) or any(_at(nodeid, p) for p in need["places"]):
                item.add_marker(marker)
