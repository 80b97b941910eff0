"""The running kiosk's light and banner follow the one rule (appliance.services.status): a fault on ANY
printer, or a letter job in doubt, shows "attention", read back from gpiozero's MockFactory pins (red LED
blinking, green off) and on the home screen's banner. Real parts: a TCP thermal printer on 127.0.0.1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "printing"))
from fakeprinter import TcpPrinter  # noqa: E402

GREEN, AMBER, RED = 22, 27, 23
GPIO = f'[gpio]\npin_factory = "mock"\nlight = "rgb"\nlight_pins = [{GREEN}, {AMBER}, {RED}]\n\n'
FAST = "[printing]\npoll_s = 0.2\npoll_attention_s = 0.1\nretry_base_s = 0.2\nretry_max_s = 0.5\n\n"


@pytest.fixture
def thermal():
    server = TcpPrinter().start()
    yield server
    server.stop()


def blinking(pin, changes: int = 3) -> bool:
    """The pin has changed state at least `changes` times since its history was last cleared."""
    return len(pin.states) > changes


def wait_attention(d, app, pins):
    green, amber, red = pins
    d.wait(lambda: app.light == "attention", timeout=15, what="the light to ask for attention")
    red.clear_states()
    d.wait(lambda: blinking(red), timeout=10, what="the red LED to blink")
    assert not green.state and not amber.state


def test_ticket_printer_out_of_paper_shows_attention_with_the_letter_printer_ready(kiosk_factory, thermal):
    settings = (GPIO + FAST + '[printers.surat]\nbackend = "file"\nrole = ["letter"]\n\n'
                f'[printers.tiket]\nbackend = "network"\nhost = "127.0.0.1"\nport = {thermal.port}\n'
                'role = ["ticket"]\ntimeout_s = 0.5\n')
    tour = kiosk_factory((800, 480), fixture=False, settings_text=settings)
    d, app, unit = tour.d, tour.app, tour.unit
    pins = [unit.hardware.factory.pin(p) for p in (GREEN, AMBER, RED)]
    d.wait(lambda: unit.printers.state("tiket").status == "ready", timeout=15, what="the ticket printer")
    d.wait(lambda: app.light == "ready" and pins[0].state, timeout=10, what="the green light")
    assert app.banner == ""

    thermal.model.paper = "out"
    d.wait(lambda: unit.printers.state("tiket").status == "paper_out", timeout=15, what="the poller")
    assert unit.printer_state().status == "ready"  # the letter printer is fine: the old rule said "ready"
    wait_attention(d, app, pins)
    assert app.banner == unit.printers.state("tiket").message  # "Kertas printer tiket habis. ..."
    shown = [w.text for w in app.screen("home").walk() if type(w).__name__ == "KLabel"]
    assert app.banner in shown  # on the home screen, where the officer looks

    thermal.model.paper = "ok"
    d.wait(lambda: app.light == "ready" and app.banner == "", timeout=15, what="the light back to ready")
    d.wait(lambda: pins[0].state and not pins[2].state, timeout=5, what="green on, red off")


def test_a_letter_job_in_doubt_shows_attention(kiosk_factory, thermal):
    settings = (GPIO + FAST + f'[printers.loket]\nbackend = "network"\nhost = "127.0.0.1"\nport = {thermal.port}\n'
                'role = ["letter", "ticket"]\ntimeout_s = 0.5\n')
    tour = kiosk_factory((800, 480), fixture=False, settings_text=settings)
    d, app, unit = tour.d, tour.app, tour.unit
    pins = [unit.hardware.factory.pin(p) for p in (GREEN, AMBER, RED)]
    d.wait(lambda: unit.printer_state().status == "ready", timeout=15, what="the letter printer")
    d.wait(lambda: app.light == "ready", timeout=10, what="the light to be ready")

    thermal.model.hang_up_after = 200  # switched off part-way through the letter
    (resident, template), _ = tour.cases()
    tour.identify(resident, template)
    d.tap("yes")
    tour.fill_fields()
    d.wait_screen("preview")
    d.tap("print")
    d.wait(lambda: app.session.issued is not None, timeout=15, what="the letter's number")
    job_id = app.job_ids[0]
    d.wait(lambda: unit.printers.spool.get(job_id).state == "failed", timeout=15, what="the job to be in doubt")
    assert unit.printers.spool.get(job_id).error_key == "printing.job.in_doubt"
    thermal.model.hang_up_after = None
    wait_attention(d, app, pins)
    assert app.banner == app.tr("status.job_failed", printer="loket")
    d.wait(lambda: unit.printer_state().status == "ready", timeout=15, what="the printer back on")
    assert app.light == "attention"  # the printer is fine again; the job still needs a person
