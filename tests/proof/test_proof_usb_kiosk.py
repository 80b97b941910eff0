"""The hostile USB stick in the running kiosk (real Kivy under Xvfb): the operator's import screen lists
only the resident files, a 2 GB file is refused with a message on the screen, and the UI thread keeps
drawing frames all along (the scan and the import run off it)."""

from __future__ import annotations

import os
import stat
import time

import pytest

from appliance.residents import demo

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")


@pytest.fixture
def kiosk_on_hostile_stick(semenit_home, monkeypatch, tmp_path):
    from appliance.uix import tour as tour_mod
    from appliance.uix.backend import Backend, load_demo_residents
    from appliance.uix.driver import Driver
    from appliance.uix.xvfb import virtual_display

    monkeypatch.setenv("KIVY_HOME", str(tmp_path / "kivy"))
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    with virtual_display(1280, 1280) as _display:
        settings = tour_mod.prepare_home(semenit_home, None)
        usb = semenit_home / "usb"
        (usb / "tautan.csv").symlink_to("/etc/passwd")
        os.mkfifo(usb / "pipa.csv")
        os.mknod(usb / "perangkat.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        (usb / "makro.xlsm").write_bytes(b"PK\x03\x04")
        many = usb / "banyak"
        many.mkdir()
        for i in range(10_000):
            (many / f"f{i:05d}.txt").touch()
        demo.write_csv(demo.generate(30, seed=5), usb / "warga.csv")
        with open(usb / "besar.xlsx", "wb") as fh:  # the newest file: listed first
            fh.truncate(2 * 1024**3)
        backend = Backend(settings, semenit_home)
        load_demo_residents(backend)
        driver = Driver.start(backend, (1280, 800))
        try:
            yield tour_mod.Tour(driver, None), tour_mod
        finally:
            driver.stop()
            backend.close()


def test_operator_import_from_a_hostile_stick(kiosk_on_hostile_stick):
    from kivy.clock import Clock

    tour, tour_mod = kiosk_on_hostile_stick
    d, app = tour.d, tour.app
    frames: list[float] = []
    ticker = Clock.schedule_interval(lambda dt: frames.append(time.monotonic()), 0)
    try:
        tour.home()
        corner = app.corner
        x, y = corner.to_window(corner.x + corner.width / 2, corner.y + corner.height / 2)
        d.tap_at(x, y, hold_s=float(tour.backend.ui_conf["operator_hold_s"]) + 0.5)
        d.wait(lambda: app.dialog is not None, what="the operator PIN dialog")
        d.type_digits(tour_mod.TOUR_PIN)
        d.tap("pin_ok")
        d.wait_screen("operator")
        d.wait(lambda: len(app.usb_files) == 2, what="the stick's resident files", timeout=20)
        assert sorted(f.name for f in app.usb_files) == ["besar.xlsx", "warga.csv"]
        d.tap("op_import")
        screen = app.screen("operator_import")
        d.wait(lambda: "besar.xlsx" in d.find("file_0").text, what="the file list")
        frames.clear()
        d.tap("file_0")
        d.wait(lambda: screen.stage == "done", what="the refusal", timeout=30)
        assert "besar.xlsx" in screen.text and "64" in screen.text  # "too big ... limit 64 MB"
        assert "warga" not in screen.text
    finally:
        ticker.cancel()
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    assert frames and max(gaps, default=0) < 0.5, max(gaps, default=0)
    assert len(tour.backend.store) == 200  # nothing imported
