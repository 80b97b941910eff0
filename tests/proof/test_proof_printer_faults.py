"""A printer pulled mid-job on each backend, with a real letter through LetterService: the job is kept,
the state says what happened, the register follows, and after recovery the letter prints exactly once."""

from __future__ import annotations

import subprocess
import time

from appliance.letters.service import LetterService
from appliance.printing import open_printers
from appliance.printing.printers import wait_for_state
from appliance.residents.store import ResidentStore
from tests.printing.fakeprinter import PtyPrinter, TcpPrinter, make_settings, wait_until
from tests.proof.conftest import letter_requests


def _service(home, printers_table):
    settings = make_settings(printers_table)
    printers = open_printers(settings, home)
    return LetterService(settings, home, ResidentStore.open(home), printers), printers


def _events(svc, number):
    return [e["event"] for e in svc.register.get(number).events]


def test_network_printer_drops_mid_job_and_is_switched_off_for_a_letter(demo_home):
    server = TcpPrinter().start()
    svc, printers = _service(demo_home, {"thermal": {"backend": "network", "host": "127.0.0.1",
                                                      "port": server.port, "role": ["letter", "ticket"]}})
    try:
        assert wait_for_state(printers, "thermal", lambda s: s.status == "ready", 5).status == "ready"
        # Mid-job: the printer is switched off after 100 kB of a long job.
        server.model.hang_up_after = 100_000
        big = printers.spool.submit(kind="ticket", content={"escpos": b"<BIG>" * 400_000}, ref="besar")
        failed = printers.spool.wait(big.id, 10)
        assert failed.state == "failed" and "terputus" in failed.error  # interrupted: check and reprint
        assert (demo_home / "spool" / "jobs" / f"{big.id}.escpos").exists()
        partial = len(server.model.printed)
        server.model.hang_up_after = None
        time.sleep(1.0)
        assert len(server.model.printed) == partial  # never resent behind the operator's back
        printers.spool.retry(big.id)  # the operator looked: it did not come out whole
        assert wait_until(lambda: printers.spool.get(big.id).state == "done", 10)
        printers.spool.retry(big.id)  # "try again" on a printed job prints nothing more
        time.sleep(0.5)
        assert len(server.model.printed) == partial + 5 * 400_000

        # A letter while the printer is off: kept with the reason, its number stays; printed once when on.
        server.stop()
        assert wait_for_state(printers, "thermal", lambda s: s.status == "offline", 5).status == "offline"
        code, nik, fields = letter_requests(svc.store)[0]
        letter = svc.wait(svc.issue(code, nik, fields), 5)
        assert letter.format == "escpos" and letter.outcome == "pending" and letter.error
        assert _events(svc, letter.number) == ["issued"]
        server.start()
        assert wait_until(lambda: printers.spool.get(letter.job_ids[0]).state == "done", 15)
        assert wait_until(lambda: _events(svc, letter.number) == ["issued", "printed"], 10)
        printers.spool.retry(letter.job_ids[0])
        time.sleep(0.5)
        job_bytes = (demo_home / "spool" / "jobs" / f"{letter.job_ids[0]}.escpos").read_bytes()
        per_copy = job_bytes.count(letter.number.encode())  # the number is printed and in the QR
        assert per_copy >= 1 and server.model.count(letter.number.encode()) == per_copy
    finally:
        svc.close()
        printers.close()
        server.stop()


class SlowPtyPrinter(PtyPrinter):
    """The printing tests' pty printer, reading at a real serial line's pace (a few kB at a time), so that
    a cable can be pulled while a job is still going through."""

    read_size = 2048
    pause_s = 0.005


def test_serial_cable_pulled_mid_job_and_before_a_letter(demo_home, tmp_path):
    pty = SlowPtyPrinter(tmp_path / "ttyPRINTER")
    table = {"receipt": {"backend": "serial", "port": pty.port, "baudrate": 19200, "timeout_s": 0.5,
                         "role": ["letter", "ticket"]}}
    svc, printers = _service(demo_home, table)
    try:
        assert wait_for_state(printers, "receipt", lambda s: s.status == "ready", 5).status == "ready"
        # Mid-job: a long job, and the cable goes once part of it has printed.
        big = printers.spool.submit(kind="ticket", content={"escpos": b"<BIG>" * 40_000}, ref="besar")
        assert wait_until(lambda: len(pty.model.printed) > 20_000, 10)
        pty.close()
        assert len(pty.model.printed) < 5 * 40_000
        failed = wait_until(lambda: (j := printers.spool.get(big.id)).state in ("failed", "pending") and j.error and j, 10)
        assert failed, printers.spool.get(big.id)
        state = wait_for_state(printers, "receipt", lambda s: s.status == "offline", 5)
        assert state.status == "offline" and "tidak tersambung" in state.message
        # A letter while the cable is out: kept, with the reason, its number stays.
        code, nik, fields = letter_requests(svc.store)[1]
        letter = svc.wait(svc.issue(code, nik, fields), 5)
        assert letter.outcome == "pending" and "tidak tersambung" in letter.error
        assert svc.register.get(letter.number).status == "issued"
        # The cable is back (the same stable name): the kept letter prints once by itself.
        pty = PtyPrinter(tmp_path / "ttyPRINTER")
        printers.spool.wake("receipt")
        assert wait_until(lambda: printers.spool.get(letter.job_ids[0]).state == "done", 15)
        assert wait_until(lambda: svc.register.get(letter.number).status == "printed", 10)
        if printers.spool.get(big.id).state == "failed":  # in doubt: a person decides
            printers.spool.retry(big.id)
        assert wait_until(lambda: printers.spool.get(big.id).state == "done", 20)
        job_bytes = (demo_home / "spool" / "jobs" / f"{letter.job_ids[0]}.escpos").read_bytes()
        per_letter = job_bytes.count(letter.number.encode())
        # "done" means the bytes left our port; the printer reads them off the line on its own time
        assert wait_until(lambda: pty.model.count(b"<BIG>") >= 40_000
                          and pty.model.count(letter.number.encode()) >= per_letter, 20)
        assert pty.model.count(letter.number.encode()) == per_letter >= 1
        assert pty.model.count(b"<BIG>") == 40_000  # the big job came out whole, once, on the new cable
    finally:
        svc.close()
        printers.close()
        if pty._running.is_set():
            pty.close()


def test_cups_queue_disabled_mid_letter(demo_home, proof_cups):
    queue = proof_cups["queue"]
    svc, printers = _service(demo_home, {"office": {"backend": "cups", "queue": queue, "role": ["letter"]}})
    try:
        assert wait_for_state(printers, "office", lambda s: s.status in ("ready", "busy"), 10)
        code, nik, fields = letter_requests(svc.store)[2]
        subprocess.run(["cupsdisable", queue], check=True)
        letter = svc.issue(code, nik, fields)
        job_id = letter.job_ids[0]
        held = wait_until(lambda: (j := printers.spool.get(job_id)).error and j, 15)
        assert held and held.state in ("pending", "sent"), held
        assert wait_for_state(printers, "office", lambda s: s.status == "offline", 10).status == "offline"
        assert svc.register.get(letter.number).status == "issued"
        time.sleep(0.5)
        assert _outputs(proof_cups, job_id) == []
        subprocess.run(["cupsenable", queue], check=True)
        assert wait_until(lambda: printers.spool.get(job_id).state == "done", 40)
        assert wait_until(lambda: svc.register.get(letter.number).status == "printed", 10)
        files = wait_until(lambda: _outputs(proof_cups, job_id), 15)
        time.sleep(1.0)
        files = _outputs(proof_cups, job_id)
        assert len(files) == 1, files
        for f in files:
            f.unlink()
    finally:
        subprocess.run(["cupsenable", queue], check=False)
        svc.close()
        printers.close()


def _outputs(cups, job_id: str) -> list:
    found = []
    for folder in cups["out_dirs"]:
        if folder.is_dir():
            found += [p for p in folder.rglob("*.pdf") if f"semenit-{job_id}" in p.name]
    return found
