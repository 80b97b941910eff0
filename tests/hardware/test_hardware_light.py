"""The status light on gpiozero's MockFactory: each appliance state's pattern, read back from the pins."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from appliance.config import Settings
from appliance.hardware import PATTERNS, open_hardware
from appliance.printing.spool import Job
from appliance.printing.state import PrinterState
from appliance.services.status import unit_state


def observe(pin, seconds: float) -> list[tuple[float, bool]]:
    """(seconds since the previous change, new state) for each change of the pin during `seconds`."""
    pin.clear_states()
    time.sleep(seconds)
    return [(s.timestamp, s.state) for s in pin.states[1:]]


def pattern_of(pin, seconds: float) -> str:
    changes = observe(pin, seconds)
    if not changes:
        return "steady" if pin.state else "off"
    gaps = sorted(t for t, _ in changes[1:])  # the first gap runs from clear_states, not from a change
    assert len(gaps) >= 2, changes
    median = gaps[len(gaps) // 2]
    # generous bounds: the machine running the tests is busy; slow (0.5 s) and fast (0.1 s) stay apart
    if 0.3 <= median <= 0.8:
        return "slow blink"
    if 0.05 <= median <= 0.22:
        return "fast blink"
    return f"blink {median:.2f}"


@pytest.fixture
def single():
    hw = open_hardware(Settings({"gpio": {"pin_factory": "mock", "light": "single", "light_pin": 27}}))
    yield hw
    hw.close()


def test_single_led_patterns(single):
    led = single.factory.pin(27)
    single.light.show("ready")
    assert pattern_of(led, 0.4) == "steady"
    single.light.show("working")
    assert pattern_of(led, 1.7) == "slow blink"
    single.light.show("attention")
    assert pattern_of(led, 0.75) == "fast blink"
    single.light.show("off")
    assert pattern_of(led, 0.3) == "off"
    assert set(PATTERNS) == {"ready", "working", "attention", "off"}


def test_rgb_light_shows_each_state_in_its_colour():
    hw = open_hardware(Settings({"gpio": {"pin_factory": "mock", "light": "rgb", "light_pins": [22, 27, 23]}}))
    try:
        green, amber, red = (hw.factory.pin(p) for p in (22, 27, 23))
        hw.light.show("ready")
        assert pattern_of(green, 0.3) == "steady" and not amber.state and not red.state
        hw.light.show("working")
        assert pattern_of(amber, 1.7) == "slow blink" and not green.state and not red.state
        hw.light.show("attention")
        assert pattern_of(red, 0.75) == "fast blink" and not green.state and not amber.state
        hw.light.show("off")
        time.sleep(0.05)
        assert not (green.state or amber.state or red.state)
    finally:
        hw.close()


def test_unknown_light_state_is_refused(single):
    with pytest.raises(ValueError):
        single.light.show("purple")


def test_no_gpio_says_so_and_the_app_runs_on(monkeypatch):
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    hw = open_hardware(Settings({"gpio": {"pin_factory": "none"}}))
    assert hw.available is False and "GPIO" in hw.reason
    hw.light.show("attention")  # accepted and remembered for the screen
    assert hw.light.state == "attention" and hw.button is None
    hw.close()
    # "auto": on a Raspberry Pi gpiozero finds its pins; anywhere else it finds none and we say so
    model = Path("/proc/device-tree/model")
    on_pi = model.exists() and b"Raspberry Pi" in model.read_bytes()
    auto = open_hardware(Settings({}))
    assert auto.available is on_pi and (on_pi or auto.reason)
    auto.close()


def test_gpiozero_pin_factory_variable_is_honoured(monkeypatch):
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    hw = open_hardware(Settings({}))
    try:
        assert hw.available and type(hw.factory).__name__ == "MockFactory"
    finally:
        hw.close()


def test_appliance_state_maps_to_the_light():
    now = time.time()
    ready = [PrinterState("t", "ready")]

    def job(state, error_key="", updated=now):
        return Job(id="j", printer="t", kind="ticket", format="escpos", state=state, error_key=error_key,
                   updated_at=updated)

    assert unit_state(ready, []).light == "ready"
    assert unit_state(ready, [job("pending")]).light == "working"
    assert unit_state(ready, [job("sent")]).light == "working"
    assert unit_state([PrinterState("t", "paper_out")], []).light == "attention"
    assert unit_state([PrinterState("t", "offline")], []).light == "attention"
    assert unit_state([PrinterState("t", "cover_open")], []).light == "attention"
    assert unit_state([PrinterState("t", "paper_low")], []).light == "ready"
    assert unit_state(ready, [job("pending", "printing.job.kept")]).light == "attention"
    assert unit_state(ready, [job("failed", "printing.job.in_doubt")]).light == "attention"
    assert unit_state(ready, [job("failed", "printing.job.in_doubt", updated=now - 3600)]).light == "ready"
    assert unit_state(ready, [job("failed", "printing.job.cancelled")]).light == "ready"
    assert unit_state(ready, [], flags=("import_waiting",)).light == "attention"
