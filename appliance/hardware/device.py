"""open_hardware(): the light and the button from the [gpio] settings, or a clear "no GPIO".

    [gpio]
    pin_factory = "auto"       # auto | lgpio | rpigpio | pigpio | native | mock | none
    button_pin = 17            # BCM; button to ground, internal pull-up
    light = "single"           # single | rgb
    light_pin = 27             # single LED
    light_pins = [22, 27, 23]  # green, amber, red
    bounce_ms = 50
    light_active_high = true
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from appliance.config import Settings
from appliance.hardware.factory import NoGpio, make_pin_factory
from appliance.hardware.light import Light, NoLight, RgbLight, SingleLight
from appliance.i18n import _

log = logging.getLogger(__name__)

DEFAULTS = {
    "pin_factory": "auto",
    "button_pin": 17,
    "light": "single",
    "light_pin": 27,
    "light_pins": [22, 27, 23],
    "bounce_ms": 50,
    "light_active_high": True,
}


class Hardware:
    def __init__(self, light: Light, button=None, factory=None, available: bool = True, reason: str | None = None):
        self.light = light
        self.button = button
        self.factory = factory
        self.available = available
        self.reason = reason

    def close(self) -> None:
        for part in (self.button, self.light):
            if part is None:
                continue
            try:
                part.close()
            except Exception:
                log.exception("closing %r", part)
        if self.factory is not None:
            try:
                self.factory.close()
            except Exception:
                log.exception("closing the pin factory")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_hardware(settings: Settings | None = None, on_button: Callable[[], object] | None = None) -> Hardware:
    conf = (settings or Settings({})).section("gpio", DEFAULTS)
    try:
        factory = make_pin_factory(str(conf["pin_factory"]))
    except NoGpio as exc:
        log.info("no GPIO: %s", exc)
        return Hardware(NoLight(), None, None, available=False, reason=_("hardware.no_gpio", detail=exc.text()))
    try:
        if conf["light"] == "rgb":
            light: Light = RgbLight(list(conf["light_pins"]), factory, bool(conf["light_active_high"]))
        elif conf["light"] == "single":
            light = SingleLight(int(conf["light_pin"]), factory, bool(conf["light_active_high"]))
        else:
            raise ValueError(f"[gpio] light must be \"single\" or \"rgb\", not {conf['light']!r}")
        from appliance.hardware.button import QueueButton

        button = QueueButton(int(conf["button_pin"]), factory, on_button, float(conf["bounce_ms"]))
    except Exception as exc:  # pins busy (another process), bad pin numbers, bad settings
        log.warning("GPIO setup failed: %r", exc)
        try:
            factory.close()
        except Exception:
            log.exception("closing the pin factory")
        return Hardware(NoLight(), None, None, available=False,
                        reason=_("hardware.gpio_failed", detail=f"{type(exc).__name__}: {exc}"))
    return Hardware(light, button, factory, available=True, reason=None)
