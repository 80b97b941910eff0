"""Choosing gpiozero's pin factory from the settings ([gpio] pin_factory).

"auto" (the default) lets gpiozero decide, which honours GPIOZERO_PIN_FACTORY and otherwise tries lgpio
(the only one that works on a Pi 5), RPi.GPIO, pigpio and its native driver in turn. A name picks one;
"mock" is gpiozero's MockFactory (tests, `semenit run --demo`); "none" means no GPIO at all.
"""

from __future__ import annotations

import importlib
import os
import warnings

from appliance.errors import SemenitError

FACTORIES = {
    "lgpio": "gpiozero.pins.lgpio:LGPIOFactory",
    "rpigpio": "gpiozero.pins.rpigpio:RPiGPIOFactory",
    "pigpio": "gpiozero.pins.pigpio:PiGPIOFactory",
    "native": "gpiozero.pins.native:NativeFactory",
    "mock": "gpiozero.pins.mock:MockFactory",
}


class NoGpio(SemenitError):
    """No pin factory could be opened; the text says what was tried."""


def make_pin_factory(name: str):
    name = (name or "auto").strip().lower()
    if name == "none":
        raise NoGpio("hardware.gpio.off")
    if name == "auto":
        env = os.environ.get("GPIOZERO_PIN_FACTORY", "").strip().lower()
        if env in FACTORIES:
            name = env
    if name in FACTORIES:
        module, cls = FACTORIES[name].split(":")
        try:
            return getattr(importlib.import_module(module), cls)()
        except Exception as exc:  # ImportError (library missing), RuntimeError/OSError (not a Pi)
            raise NoGpio("hardware.gpio.failed", name=name, error=f"{type(exc).__name__}: {exc}") from exc
    if name != "auto":
        raise NoGpio("hardware.gpio.unknown", name=name, choices=", ".join(FACTORIES))
    try:
        from gpiozero import Device
        from gpiozero.exc import PinFactoryFallback

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PinFactoryFallback)
            return Device._default_pin_factory()
    except Exception as exc:  # BadPinFactory on a laptop, ImportError without gpiozero
        raise NoGpio("hardware.gpio.none_found", error=f"{type(exc).__name__}: {exc}") from exc
