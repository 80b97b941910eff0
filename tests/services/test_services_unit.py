"""The unit built from its settings (appliance.services.unit): the kiosk opens every area and reports a
broken one; a command opens only what it asks for and gets the failure; the queue button pressed through
the hardware layer's own mock pin takes a number like a finger would. Real parts: gpiozero MockFactory,
the file printer, the queue on disk."""

from __future__ import annotations

import pytest

from appliance.config import Settings
from appliance.printing import PrintingConfigError
from appliance.services.status import NO_PRINTER, Light
from appliance.services.unit import Unit

GPIO = {"pin_factory": "mock", "bounce_ms": 5}


def test_a_broken_printer_table_is_a_problem_on_the_kiosk_and_an_error_for_a_command(semenit_home):
    settings = Settings({"printers": {"loket": {"backend": "nonsense"}}, "gpio": GPIO})
    unit = Unit(settings, semenit_home)
    try:
        assert unit.printers is None and [area for area, _ in unit.problems] == ["printing"]
        assert unit.queue is not None and unit.store is not None  # the rest still runs
        state = unit.state()
        assert (state.light, state.reason) == (Light.ATTENTION, NO_PRINTER)
        assert unit.hardware is not None and unit.hardware.light.state == "attention"
    finally:
        unit.close()
    with pytest.raises(PrintingConfigError):
        Unit(settings, semenit_home, start_threads=False, areas=("printing",), strict=True)
    only = Unit(settings, semenit_home, start_threads=False, areas=("queue",), strict=True)
    assert only.printers is None and only.store is None and only.problems == []
    assert not (semenit_home / "kiosk_secret.bin").exists()  # a command leaves the kiosk's secret alone
    only.close()


def test_the_queue_button_pressed_through_the_mock_pin_takes_a_number(semenit_home):
    # bounce 0: two presses one right after the other both count (a real finger is slower than 5 ms).
    unit = Unit(Settings({"gpio": {**GPIO, "bounce_ms": 0}}), semenit_home)
    tickets = []
    unit.button_listener = lambda: tickets.append(unit.take_queue_number())
    try:
        assert unit.hardware is not None and unit.hardware.button is not None
        unit.press_queue_button()
        unit.press_queue_button()
        assert unit.hardware.button.wait_idle(5)
        assert [t.number for t in tickets] == [1, 2]
        assert unit.hardware.button.accepted == 2  # both went through the pin and its debounce
        assert all(t.job_id for t in tickets)  # each ticket went to the (file) printer's spool
    finally:
        unit.close()
