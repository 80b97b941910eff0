"""The hostile USB stick in the running kiosk (real Kivy under its own Xvfb), run by
tests/proof/test_proof_usb_kiosk.py in a separate process: Kivy's window belongs to one display for the
life of a process, so it must not share the test run's.

    python -m tests.proof.usb_kiosk_check      # exit 0 when the kiosk behaved
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
from pathlib import Path


def make_stick(usb: Path) -> None:
    from appliance.residents import demo

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


def check(tour, tour_mod) -> None:
    from kivy.clock import Clock

    d, app = tour.d, tour.app
    frames: list[float] = []
    ticker = Clock.schedule_interval(lambda dt: frames.append(time.monotonic()), 0)
    try:
        tour.home()
        corner = app.corner
        x, y = corner.to_window(corner.x + corner.width / 2, corner.y + corner.height / 2)
        d.tap_at(x, y, hold_s=float(tour.unit.ui_conf["operator_hold_s"]) + 0.5)
        d.wait(lambda: app.dialog is not None, what="the operator PIN dialog")
        d.type_digits(tour_mod.TOUR_PIN)
        d.tap("pin_ok")
        d.wait_screen("operator")
        d.wait(lambda: len(app.usb_files) == 2, what="the stick's resident files", timeout=20)
        assert sorted(f.name for f in app.usb_files) == ["besar.xlsx", "warga.csv"], app.usb_files
        d.tap("op_import")
        screen = app.screen("operator_import")
        d.wait(lambda: "besar.xlsx" in d.find("file_0").text, what="the file list")
        frames.clear()
        d.tap("file_0")
        d.wait(lambda: screen.stage == "done", what="the refusal", timeout=30)
        assert "besar.xlsx" in screen.text and "64" in screen.text, screen.text  # too big, limit 64 MB
        assert "warga" not in screen.text
    finally:
        ticker.cancel()
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    assert frames and max(gaps, default=0) < 0.5, max(gaps, default=0)
    assert len(tour.unit.store) == 200, len(tour.unit.store)  # nothing imported
    print(f"ok: {len(frames)} frames while the import was refused, longest gap {max(gaps):.3f} s")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="semenit-usb-kiosk-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        os.environ.update({"KIVY_HOME": str(Path(tmp) / "kivy"), "KIVY_NO_ARGS": "1", "KIVY_CLIPBOARD": "sdl2",
                           "KIVY_NO_CONSOLELOG": "1", "KIVY_NO_FILELOG": "1", "GPIOZERO_PIN_FACTORY": "mock"})
        from appliance.services.unit import Unit
        from appliance.uix import tour as tour_mod
        from appliance.uix.driver import Driver
        from appliance.uix.xvfb import virtual_display

        with virtual_display(1280, 1280, force=True):
            settings = tour_mod.prepare_home(home, None)
            make_stick(home / "usb")
            unit = Unit(settings, home)
            unit.load_demo_residents()
            driver = Driver.start(unit, (1280, 800))
            try:
                check(tour_mod.Tour(driver, None), tour_mod)
            finally:
                driver.stop()
                unit.close()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    raise SystemExit(main())
