"""The status light (DESIGN §8): steady = ready, slow blink = working, fast blink = attention, off = off.

One LED blinks its pattern; a green/amber/red light shows the pattern in the state's colour (ready
green, working amber, attention red). Patterns are data, so the screen's simulated light and the tests
read the same table.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

LIGHT_STATES = ("ready", "working", "attention", "off")
# state -> (mode, on seconds, off seconds)
PATTERNS = {
    "ready": ("steady", None, None),
    "working": ("blink", 0.5, 0.5),
    "attention": ("blink", 0.1, 0.1),
    "off": ("off", None, None),
}
COLOURS = {"ready": "green", "working": "amber", "attention": "red", "off": None}


def _check(state: str) -> str:
    if state not in PATTERNS:
        raise ValueError(f"unknown light state {state!r}; choose one of {', '.join(LIGHT_STATES)}")
    return state


def _apply(led, state: str) -> None:
    mode, on_s, off_s = PATTERNS[state]
    if mode == "steady":
        led.on()
    elif mode == "blink":
        led.blink(on_time=on_s, off_time=off_s, background=True)
    else:
        led.off()


class Light:
    """Shared part: remembers the state so repeated show() calls do not restart a blink."""

    def __init__(self):
        self.state = "off"
        self._lock = threading.Lock()

    def show(self, state: str) -> None:
        state = _check(state)
        with self._lock:
            if state == self.state:
                return
            self.state = state
            self._show(state)

    def _show(self, state: str) -> None:
        log.debug("light: %s", state)

    def close(self) -> None:
        self.state = "off"


class SingleLight(Light):
    def __init__(self, pin: int, factory, active_high: bool = True):
        super().__init__()
        from gpiozero import LED

        self.led = LED(pin, active_high=active_high, initial_value=False, pin_factory=factory)

    def _show(self, state: str) -> None:
        _apply(self.led, state)

    def close(self) -> None:
        super().close()
        self.led.close()


class RgbLight(Light):
    """Three LEDs (green, amber, red): the state's colour shows its pattern, the others are off."""

    def __init__(self, pins: list[int], factory, active_high: bool = True):
        super().__init__()
        from gpiozero import LED

        green, amber, red = pins
        self.leds = {c: LED(p, active_high=active_high, initial_value=False, pin_factory=factory)
                     for c, p in (("green", green), ("amber", amber), ("red", red))}

    def _show(self, state: str) -> None:
        colour = COLOURS[state]
        for name, led in self.leds.items():
            if name != colour:
                led.off()
        if colour is not None:
            _apply(self.leds[colour], state)

    def close(self) -> None:
        super().close()
        for led in self.leds.values():
            led.close()


class NoLight(Light):
    """No GPIO: the state is kept (the screen can show it) and nothing else happens."""
