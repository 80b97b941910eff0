"""A private Xvfb display for the whole UI test session, and a kiosk app per test on real services."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# Kivy reads these when it is first imported (inside the first test that starts the app).
_KIVY_HOME = tempfile.mkdtemp(prefix="semenit-test-kivy-")
atexit.register(shutil.rmtree, _KIVY_HOME, ignore_errors=True)
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", _KIVY_HOME)
os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")


@pytest.fixture(scope="session")
def ui_display():
    from appliance.uix.xvfb import virtual_display

    with virtual_display(1280, 1280, force=True) as display:
        yield display


@pytest.fixture
def kiosk_factory(ui_display, semenit_home, monkeypatch, FIXTURES):
    """start(size) → a Tour over a running KioskApp in `semenit_home` (demo residents, file printer, USB
    folder with a copy of the OpenSID fixture). Stops everything at the end of the test."""
    from appliance.services.unit import Unit
    from appliance.uix import tour as tour_mod
    from appliance.uix.driver import Driver

    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    running = []

    def start(size=(800, 480), fixture=True, settings_text=""):
        settings = tour_mod.prepare_home(semenit_home, FIXTURES / "contoh_penduduk.xlsx" if fixture else None,
                                         settings_text)
        backend = Unit(settings, semenit_home)
        backend.load_demo_residents()
        driver = Driver.start(backend, size)
        running.append((driver, backend))
        return tour_mod.Tour(driver, None)

    def stop_all():
        while running:
            driver, backend = running.pop()
            driver.stop()
            backend.close()

    start.stop_all = stop_all
    yield start
    stop_all()


def to_preview(tour):
    """Walk the tour's first resident and letter from home to the preview screen (NIK, factor, fields)."""
    d = tour.d
    (resident, template), _ = tour.cases()
    tour.home()
    tour.identify(resident, template)
    d.tap("yes")
    tour.fill_fields()
    d.wait_screen("preview")
    return resident, template
