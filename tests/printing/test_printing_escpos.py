"""ESC/POS printers on real connections: a TCP printer on 127.0.0.1 and a serial printer on a pty."""

from __future__ import annotations

import time

import pytest
from fakeprinter import make_settings, wait_until

from appliance.printing import open_printers
from appliance.printing.printers import wait_for_state


def _wait_job(printers, job_id, state, timeout=5.0):
    deadline = time.monotonic() + timeout
    job = printers.spool.get(job_id)
    while job.state != state and time.monotonic() < deadline:
        time.sleep(0.02)
        job = printers.spool.get(job_id)
    return job


@pytest.fixture
def network_printers(tcp_printer, semenit_home):
    printers = open_printers(
        make_settings({"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port,
                                   "profile": "TM-T88V", "paper_mm": 80, "role": ["ticket"]}}),
        semenit_home,
    )
    yield printers
    printers.close()


def test_network_printer_prints_and_reports_ready(network_printers, tcp_printer):
    assert wait_for_state(network_printers, "thermal", lambda s: s.status == "ready", 3).status == "ready"
    job = network_printers.spool.submit(kind="ticket", content={"escpos": b"\x1b@TICKET-A\n\x1dV\x00"}, ref="A-1")
    assert job.printer == "thermal" and job.format == "escpos"
    done = network_printers.spool.wait(job.id, 5)
    assert done.state == "done" and done.error is None
    # the printer got the job's bytes exactly, apart from the status queries it answered
    assert bytes(tcp_printer.model.printed) == b"\x1b@TICKET-A\n\x1dV\x00"
    assert tcp_printer.model.queries >= 2


def test_paper_low_and_paper_out_follow_the_printer(network_printers, tcp_printer):
    tcp_printer.model.paper = "low"
    assert wait_for_state(network_printers, "thermal", lambda s: s.status == "paper_low", 3).status == "paper_low"
    job = network_printers.spool.submit(kind="ticket", content={"escpos": b"LOW-PAPER-STILL-PRINTS\n"})
    assert network_printers.spool.wait(job.id, 5).state == "done"

    tcp_printer.model.paper = "out"
    state = wait_for_state(network_printers, "thermal", lambda s: s.status == "paper_out", 3)
    assert state.status == "paper_out" and "kertas" in state.message.lower()
    job = network_printers.spool.submit(kind="ticket", content={"escpos": b"WAITS-FOR-PAPER\n"})
    kept = network_printers.spool.wait(job.id, 5)
    assert kept.state == "pending" and kept.attempts >= 1
    assert "habis" in kept.error  # Bahasa Indonesia by default: "Kertas printer thermal habis..."
    assert tcp_printer.model.count(b"WAITS-FOR-PAPER") == 0

    tcp_printer.model.paper = "ok"
    assert _wait_job(network_printers, job.id, "done").state == "done"
    assert tcp_printer.model.count(b"WAITS-FOR-PAPER") == 1


def test_cover_open_is_reported_and_holds_the_job(network_printers, tcp_printer):
    tcp_printer.model.cover_open = True
    assert wait_for_state(network_printers, "thermal", lambda s: s.status == "cover_open", 3).status == "cover_open"
    job = network_printers.spool.submit(kind="ticket", content={"escpos": b"COVER\n"})
    assert network_printers.spool.wait(job.id, 5).state == "pending"
    tcp_printer.model.cover_open = False
    assert _wait_job(network_printers, job.id, "done").state == "done"
    assert tcp_printer.model.count(b"COVER") == 1


def test_server_gone_keeps_the_job_and_prints_it_once_when_back(network_printers, tcp_printer):
    assert wait_for_state(network_printers, "thermal", lambda s: s.status == "ready", 3).status == "ready"
    tcp_printer.stop()
    assert wait_for_state(network_printers, "thermal", lambda s: s.status == "offline", 3).status == "offline"
    job = network_printers.spool.submit(kind="ticket", content={"escpos": b"EXACTLY-ONCE\n"})
    kept = network_printers.spool.wait(job.id, 5)
    assert kept.state == "pending" and kept.error
    time.sleep(1.0)  # several retries against a closed port: still kept, nothing crashed
    assert network_printers.spool.get(job.id).state == "pending"
    assert network_printers.spool.get(job.id).attempts >= 2

    tcp_printer.start()  # same port again
    assert _wait_job(network_printers, job.id, "done").state == "done"
    time.sleep(0.5)  # further polls and retries must not print it again
    assert tcp_printer.model.count(b"EXACTLY-ONCE") == 1
    assert network_printers.state("thermal").status == "ready"


def test_silent_printer_is_unknown_not_plenty_of_paper(tcp_printer, semenit_home):
    tcp_printer.model.silent = True
    printers = open_printers(
        make_settings({"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port,
                                   "timeout_s": 0.3}}),
        semenit_home, start=False,
    )
    try:
        state = printers.refresh("thermal")
        assert state.status == "unknown" and "no answer" in state.detail
    finally:
        printers.close()


def test_state_never_blocks_even_when_the_printer_hangs(semenit_home):
    # 192.0.2.1 (TEST-NET-1) never answers: connecting takes the whole timeout; state() must not
    printers = open_printers(
        make_settings({"thermal": {"backend": "network", "host": "192.0.2.1", "port": 9100, "timeout_s": 2.0}}),
        semenit_home,
    )
    try:
        # A call that waited on the hung connection would take the whole 2 s timeout; the slowest of a
        # thousand calls stays far below it even on a busy machine.
        slowest = 0.0
        for _ in range(1000):
            started = time.perf_counter()
            printers.state("thermal")
            slowest = max(slowest, time.perf_counter() - started)
        assert slowest < 1.0, slowest
    finally:
        printers.close(timeout=0.1)


def test_serial_printer_on_a_pty(pty_printer, semenit_home):
    printers = open_printers(
        make_settings({"receipt": {"backend": "serial", "port": pty_printer.port, "baudrate": 19200,
                                   "profile": "POS-5890", "timeout_s": 0.5}}),
        semenit_home,
    )
    try:
        assert printers.escpos_profile("receipt") == ("POS-5890", 58)
        assert wait_for_state(printers, "receipt", lambda s: s.status == "ready", 3).status == "ready"
        job = printers.spool.submit(kind="ticket", content={"escpos": b"SERIAL-TICKET\n"})
        assert printers.spool.wait(job.id, 5).state == "done"
        # "done" means the bytes left the kiosk's port; the printer reads them from the line on its own time
        assert wait_until(lambda: pty_printer.model.count(b"SERIAL-TICKET") == 1)

        pty_printer.model.paper = "out"
        assert wait_for_state(printers, "receipt", lambda s: s.status == "paper_out", 3).status == "paper_out"
        pty_printer.model.paper = "ok"
        assert wait_for_state(printers, "receipt", lambda s: s.status == "ready", 3).status == "ready"

        pty_printer.close()  # the cable is pulled
        state = wait_for_state(printers, "receipt", lambda s: s.status == "offline", 3)
        assert state.status == "offline" and "tidak tersambung" in state.message
        job = printers.spool.submit(kind="ticket", content={"escpos": b"AFTER-PULL\n"})
        kept = printers.spool.wait(job.id, 5)
        assert kept.state == "pending" and "tidak tersambung" in kept.error
    finally:
        printers.close()
    # the job survives the process: a new spool over the same home still has it, pending
    again = open_printers(make_settings({"receipt": {"backend": "serial", "port": pty_printer.port}}),
                          semenit_home, start=False)
    try:
        assert again.spool.get(job.id).state == "pending"
    finally:
        again.close(timeout=0.5)
