"""Fixtures of the printing tests: real printers on real connections (TCP loopback, pty, cupsd)."""

from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakeprinter import PtyPrinter, TcpPrinter  # noqa: E402

from tests.cupsd import PrivateCups  # noqa: E402


@pytest.fixture
def tcp_printer():
    server = TcpPrinter().start()
    yield server
    server.stop()


@pytest.fixture
def pty_printer(tmp_path):
    printer = PtyPrinter(tmp_path / "ttyPRINTER")
    yield printer
    if printer._running.is_set():
        printer.close()


# --- a real CUPS with a cups-pdf queue ------------------------------------------------------------

CUPS_QUEUE = "SemenitTest"


def _cups_pdf_dirs() -> list[Path]:
    """Where cups-pdf writes: its `Out` for a known user (for root often /root/PDF) and `AnonDirName`."""
    out, anon = "${HOME}/PDF", "/var/spool/cups-pdf/ANONYMOUS"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            parts = line.split(None, 1)
            if len(parts) == 2 and parts[0] == "Out":
                out = parts[1].strip()
            elif len(parts) == 2 and parts[0] == "AnonDirName":
                anon = parts[1].strip()
    user = pwd.getpwuid(os.getuid())
    out = out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
    return [Path(out), Path(anon)]


def add_pdf_queue(cups: PrivateCups, queue: str) -> dict:
    """A cups-pdf queue on the run's private cupsd, enabled and accepting: what the tests print to."""
    models = cups.run("lpinfo", "-m").stdout
    names = [line.split()[0] for line in models.splitlines() if "cups-pdf" in line.lower()]
    ppd = next((name for preferred in ("CUPS-PDF_opt.ppd", "CUPS-PDF_noopt.ppd") for name in names
                if name.endswith(preferred)), None)
    if ppd is None:
        pytest.fail(f"no cups-pdf driver known to CUPS (lpinfo -m): {names}; is printer-driver-cups-pdf installed?")
    cups.run("lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-m", ppd)
    cups.run("cupsenable", queue)
    cups.run("cupsaccept", queue)
    return {"queue": queue, "out_dirs": _cups_pdf_dirs()}


@pytest.fixture(scope="session")
def cups_pdf(session_cupsd):
    return add_pdf_queue(session_cupsd, CUPS_QUEUE)
