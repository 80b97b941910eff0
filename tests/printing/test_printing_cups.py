"""A real CUPS (cupsd + cups-pdf) behind the CUPS backend: print, stop the queue, start it again."""

from __future__ import annotations

import io
import secrets
import subprocess
import time

import orjson
import pytest
from fakeprinter import make_settings, wait_until
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from appliance.printing import open_printers
from appliance.printing.backends.cups import parse_printer_status
from appliance.printing.printers import wait_for_state
from appliance.printing.spool import Job


def letter_pdf(marker: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 770, "SURAT KETERANGAN DOMISILI")
    c.setFont("Helvetica", 11)
    c.drawString(72, 740, f"Nomor: 470/012/TRJ/XI/2026  {marker}")
    c.showPage()
    c.save()
    return buf.getvalue()


def outputs_for(cups_pdf, job_id: str) -> list:
    found = []
    for folder in cups_pdf["out_dirs"]:
        if folder.is_dir():
            found += [p for p in folder.rglob("*.pdf") if f"semenit-{job_id}" in p.name]
    return found



@pytest.fixture
def cups_printers(cups_pdf, semenit_home):
    printers = open_printers(
        make_settings({"letters": {"backend": "cups", "queue": cups_pdf["queue"], "role": ["letter"]}}), semenit_home
    )
    yield printers
    printers.close()
    subprocess.run(["cupsenable", cups_pdf["queue"]], check=False)


def test_letter_prints_through_cups_into_a_pdf(cups_printers, cups_pdf):
    assert wait_for_state(cups_printers, "letters", lambda s: s.status == "ready", 5).status == "ready"
    assert cups_printers.formats("letters") == {"pdf"}
    job = cups_printers.spool.submit(kind="letter", content={"pdf": letter_pdf("MARK-CUPS-1")}, ref="470/012/TRJ/XI/2026")
    assert job.printer == "letters"
    assert wait_until(lambda: cups_printers.spool.get(job.id).state == "done", 30)
    done = cups_printers.spool.get(job.id)
    assert done.remote and done.remote.startswith(cups_pdf["queue"] + "-")
    files = wait_until(lambda: outputs_for(cups_pdf, job.id), 10)
    assert len(files) == 1
    text = "".join(page.extract_text() or "" for page in PdfReader(files[0]).pages)
    assert "MARK-CUPS-1" in text
    files[0].unlink()


def test_stopped_queue_keeps_the_job_and_reports_it(cups_printers, cups_pdf):
    queue = cups_pdf["queue"]
    subprocess.run(["cupsdisable", queue], check=True)
    state = wait_for_state(cups_printers, "letters", lambda s: s.status == "offline", 5)
    assert state.status == "offline" and "stopped" in state.detail

    job = cups_printers.spool.submit(kind="letter", content={"pdf": letter_pdf("MARK-CUPS-2")})
    kept = cups_printers.spool.wait(job.id, 10)
    assert kept.state == "pending" and kept.error and kept.attempts >= 1
    assert (cups_printers.home / "spool" / "jobs" / f"{job.id}.pdf").exists()
    time.sleep(0.5)
    assert cups_printers.spool.get(job.id).state == "pending"
    assert outputs_for(cups_pdf, job.id) == []

    subprocess.run(["cupsenable", queue], check=True)
    assert wait_until(lambda: cups_printers.spool.get(job.id).state == "done", 30)
    files = wait_until(lambda: outputs_for(cups_pdf, job.id), 10)
    assert len(files) == 1
    files[0].unlink()
    assert cups_printers.state("letters").status in ("ready", "busy")


def test_parse_lpstat_printer_states():
    assert parse_printer_status("printer Q is idle.  enabled since Sat Nov 28 07:18:34 2026\n")[0] == "ready"
    assert parse_printer_status("printer Q now printing Q-3.  enabled since x\n\tAlerts: none\n")[0] == "busy"
    assert parse_printer_status("printer Q disabled since x -\n\tPaused\n\tAlerts: paused\n")[0] == "offline"
    assert parse_printer_status("printer Q is idle.  enabled since x\n\tAlerts: media-empty-error\n")[0] == "paper_out"
    assert parse_printer_status("printer Q is idle.  enabled since x\n\tAlerts: cover-open\n")[0] == "cover_open"
    assert parse_printer_status("printer Q is idle.  enabled since x\n\tAlerts: media-low-report\n")[0] == "paper_low"
    assert parse_printer_status("lpstat: Invalid destination name in list \"Q\".")[0] == "unknown"


def test_a_job_held_in_cups_by_a_killed_process_is_adopted_not_sent_again(cups_pdf, semenit_home):
    """The process died after `lp -H hold` and before it wrote down CUPS's request id: on restart the
    spool finds the held job by its title and releases it; exactly one PDF comes out."""
    queue = cups_pdf["queue"]
    job = Job(id=f"20261128-070000-{secrets.token_hex(4)}", printer="letters", kind="letter", format="pdf", ref="X",
              state="sent", created_at=time.time(), updated_at=time.time(), attempts=1, delivering=True)
    spool_dir = semenit_home / "spool"
    (spool_dir / "jobs").mkdir(parents=True)
    data = letter_pdf("MARK-CUPS-3")
    (spool_dir / "jobs" / f"{job.id}.pdf").write_bytes(data)
    (spool_dir / "jobs" / f"{job.id}.json").write_bytes(orjson.dumps(job.as_dict()))
    subprocess.run(["lp", "-d", queue, "-H", "hold", "-t", f"semenit-{job.id}", "-"], input=data, check=True,
                   capture_output=True)

    printers = open_printers(make_settings({"letters": {"backend": "cups", "queue": queue}}), semenit_home)
    try:
        assert wait_until(lambda: printers.spool.get(job.id).state == "done", 30)
        assert len(wait_until(lambda: outputs_for(cups_pdf, job.id), 10)) == 1
        time.sleep(0.5)
        files = outputs_for(cups_pdf, job.id)
        assert len(files) == 1
        files[0].unlink()
    finally:
        printers.close()


def test_job_already_in_cups_when_the_queue_stops_waits_there_and_completes(cups_pdf, semenit_home):
    """Handed to CUPS (and written down), then the queue stops: the job is followed in CUPS's queue,
    reported as held with the printer's state, and completes once the queue runs again."""
    queue = cups_pdf["queue"]
    data = letter_pdf("MARK-CUPS-4")
    job = Job(id=f"20261128-071500-{secrets.token_hex(4)}", printer="letters", kind="letter", format="pdf",
              ref="Y", state="sent", created_at=time.time(), updated_at=time.time(), attempts=1)
    result = subprocess.run(["lp", "-d", queue, "-H", "hold", "-t", f"semenit-{job.id}", "-"], input=data,
                            check=True, capture_output=True, text=False)
    job.remote = result.stdout.decode().split("request id is ")[1].split()[0]
    job.released = False
    spool_dir = semenit_home / "spool"
    (spool_dir / "jobs").mkdir(parents=True)
    (spool_dir / "jobs" / f"{job.id}.pdf").write_bytes(data)
    (spool_dir / "jobs" / f"{job.id}.json").write_bytes(orjson.dumps(job.as_dict()))
    subprocess.run(["cupsdisable", queue], check=True)

    printers = open_printers(make_settings({"letters": {"backend": "cups", "queue": queue}}), semenit_home)
    try:
        held = wait_until(lambda: (j := printers.spool.get(job.id)).released and j.error and j, 10)
        assert held.state == "sent" and "antrean printer" in held.error
        assert printers.state("letters").status == "offline"
        subprocess.run(["cupsenable", queue], check=True)
        assert wait_until(lambda: printers.spool.get(job.id).state == "done", 30)
        files = wait_until(lambda: outputs_for(cups_pdf, job.id), 10)
        assert len(files) == 1
        files[0].unlink()
    finally:
        printers.close()
        subprocess.run(["cupsenable", queue], check=False)
