"""Fixtures every area's tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES_DIR = (REPO.parent / "shared" / "fixtures" / "opensid").resolve()


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


def pytest_collection_modifyitems(config, items):
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(REPO).as_posix()
        for marker, need in NEEDS.items():
            if need["fixtures"] & set(item.fixturenames) or any(
                    where == f or where.startswith(f + "/") for f in need["files"]):
                item.add_marker(marker)
