"""`semenit run`: open the unit (appliance.services.unit), configure Kivy for a unit or a desktop, and run the kiosk."""

from __future__ import annotations

import os
from pathlib import Path

from appliance.config import Settings
from appliance.i18n import _
from appliance.services import operator as op

DEMO_PIN = "1234"


def run_kiosk(settings: Settings, home: Path, demo: bool = False) -> int:
    from appliance.services.unit import UI_DEFAULTS, Unit

    ui = settings.section("ui", UI_DEFAULTS)
    on_a_unit = op.on_unit(ui) and not demo
    if demo:
        # A desktop: mock GPIO (the Q key stands in for the queue button).
        os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")
    fullscreen = on_a_unit if str(ui.get("fullscreen", "auto")) == "auto" else bool(ui.get("fullscreen"))

    from appliance.uix import boot

    touch_rotation = ui.get("touch_rotation")
    boot.configure(int(ui["width"]), int(ui["height"]), fullscreen=fullscreen, rotation=int(ui.get("rotation", 0)),
                   touchscreen=on_a_unit, touch_rotation=None if touch_rotation is None else int(touch_rotation),
                   touch_match=str(ui["touch_match"]))
    boot.register_fonts()
    from appliance.uix.app import KioskApp

    unit = Unit(settings, home)
    if demo and "mount_dir" not in settings.raw.get("usb", {}):
        # A desktop has no USB mount service: a plain folder in the data folder stands in for the stick.
        stick = home / "usb"
        stick.mkdir(parents=True, exist_ok=True)
        unit.usb_conf["mount_dir"] = str(stick)
        print(_("ui.run.demo_usb", folder=str(stick)))
    if demo:
        added = unit.load_demo_residents()
        if added:
            print(_("ui.run.demo_residents", n=added))
        if not unit.operator_pin.is_set():
            unit.operator_pin.set(DEMO_PIN)
            print(_("ui.run.demo_pin", pin=DEMO_PIN))
        print(_("ui.run.demo_keys"))
    for area, problem in unit.problems:
        print(_("ui.run.problem", area=area, problem=problem))
    app = KioskApp(unit, demo=demo)
    try:
        app.run()
    finally:
        unit.close()
    return 0
