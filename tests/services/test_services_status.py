"""One rule for the light and the banner: what needs a person, on any printer, shows "attention" with its reason."""

from __future__ import annotations

from appliance.i18n import translate
from appliance.printing.spool import Job
from appliance.printing.state import PrinterState
from appliance.services.status import NO_PRINTER, USB_WAITING, Light, StatusIndicator, unit_state

NOW = 1_000_000.0


def job(state, error_key="", printer="surat", updated=NOW):
    return Job(id="j", printer=printer, kind="letter", format="pdf", state=state, error_key=error_key,
               updated_at=updated)


def test_the_ticket_printer_out_of_paper_needs_attention_even_with_the_letter_printer_ready():
    states = [PrinterState("surat", "ready"), PrinterState("tiket", "paper_out")]
    state = unit_state(states, [], now=NOW)
    assert state.light == Light.ATTENTION
    assert state.reason == "printing.status.paper_out" and state.params == {"name": "tiket"}
    assert translate(state.reason, "en", **state.params) == "Printer tiket is out of paper. Load new paper."


def test_a_letter_job_in_doubt_needs_attention_and_says_so():
    state = unit_state([PrinterState("surat", "ready")], [job("failed", "printing.job.in_doubt")], now=NOW)
    assert (state.light, state.reason, state.params) == (Light.ATTENTION, "status.job_failed", {"printer": "surat"})
    kept = unit_state([PrinterState("surat", "ready")], [job("pending", "printing.job.kept")], now=NOW)
    assert (kept.light, kept.reason) == (Light.ATTENTION, "status.job_kept")


def test_ready_and_working_have_no_banner():
    ready = [PrinterState("surat", "ready"), PrinterState("tiket", "paper_low")]
    assert unit_state(ready, [], now=NOW) == unit_state(ready, [], now=NOW)
    assert unit_state(ready, [], now=NOW).reason == ""
    working = unit_state(ready, [job("sent")], now=NOW)
    assert (working.light, working.reason) == (Light.WORKING, "")
    old = unit_state(ready, [job("failed", "printing.job.in_doubt", updated=NOW - 3600)], now=NOW)
    assert old.light == Light.READY


def test_a_printer_fault_comes_before_a_flag_and_a_flag_before_ready():
    flagged = unit_state([PrinterState("surat", "ready")], [], flags=[USB_WAITING], now=NOW)
    assert (flagged.light, flagged.reason) == (Light.ATTENTION, USB_WAITING)
    both = unit_state([PrinterState("surat", "offline")], [], flags=[USB_WAITING], now=NOW)
    assert both.reason == "printing.status.offline"


class RecordingLight:
    def __init__(self):
        self.shown: list[str] = []

    def show(self, state: str) -> None:
        self.shown.append(state)


def test_no_printer_set_up_needs_attention_and_the_light_and_listeners_follow_flags():
    light = RecordingLight()
    indicator = StatusIndicator(None, light)
    seen = []
    indicator.add_listener(seen.append)
    indicator.raise_flag(USB_WAITING)
    assert light.shown[-1] == Light.ATTENTION and seen[-1].reason == NO_PRINTER
    indicator.stop()
    assert light.shown[-1] == Light.OFF
