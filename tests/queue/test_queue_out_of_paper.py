"""A press while the ticket printer is out of paper: the number is taken, the light says so, and the
ticket prints once paper is back. Real parts: TCP thermal printer on 127.0.0.1, gpiozero MockFactory."""

from __future__ import annotations

import time

from fakeprinter import TcpPrinter, make_settings, wait_until

from appliance.hardware import open_hardware
from appliance.printing import open_printers
from appliance.printing.printers import wait_for_state
from appliance.queue import QueueService
from appliance.services.status import StatusIndicator


def test_out_of_paper_press_keeps_number_and_prints_later(semenit_home):
    server = TcpPrinter().start()
    settings = make_settings(
        {"thermal": {"backend": "network", "host": "127.0.0.1", "port": server.port, "profile": "TM-T88V",
                     "paper_mm": 80, "role": ["ticket"]}},
        gpio={"pin_factory": "mock", "bounce_ms": 5},
    )
    printers = open_printers(settings, semenit_home)
    queue = QueueService(settings, semenit_home, printers=printers)
    tickets = []
    hw = open_hardware(settings, on_button=lambda: tickets.append(queue.take()))
    indicator = StatusIndicator(printers, hw.light)
    button, led = hw.factory.pin(17), hw.factory.pin(27)
    try:
        assert wait_for_state(printers, "thermal", lambda s: s.status == "ready", 3).status == "ready"
        assert wait_until(lambda: hw.light.state == "ready", 2) and led.state

        server.model.paper = "out"
        assert wait_for_state(printers, "thermal", lambda s: s.status == "paper_out", 3).status == "paper_out"
        assert hw.light.state == "attention"
        button.drive_low()
        button.drive_high()
        assert hw.button.wait_idle(5)
        assert len(tickets) == 1 and tickets[0].number == 1 and tickets[0].job_id
        assert queue.status().last == 1  # the number is taken and on disk
        kept = printers.spool.wait(tickets[0].job_id, 5)
        assert kept.state == "pending" and "habis" in kept.error
        # the light blinks fast (attention), read back from the pin
        led.clear_states()
        time.sleep(0.6)
        assert len(led.states) >= 4
        assert server.model.count(b"NOMOR ANTREAN") == 0

        server.model.paper = "ok"
        assert wait_until(lambda: printers.spool.get(tickets[0].job_id).state == "done", 5)
        assert server.model.count(b"NOMOR ANTREAN") == 1
        printed = bytes(server.model.printed)
        assert b"001" in printed and b"KALURAHAN TRIHARJO" in printed
        assert wait_until(lambda: hw.light.state == "ready", 3)
        time.sleep(0.05)
        led.clear_states()
        time.sleep(0.3)
        assert led.state and len(led.states) == 1  # steady on

        # the next press prints straight away
        button.drive_low()
        button.drive_high()
        assert hw.button.wait_idle(5)
        assert tickets[1].number == 2 and tickets[1].waiting_before == 1
        assert printers.spool.wait(tickets[1].job_id, 5).state == "done"
        assert server.model.count(b"NOMOR ANTREAN") == 2
    finally:
        indicator.stop()
        hw.close()
        printers.close()
        server.stop()
