"""Fixtures of the printing tests: real printers on real connections (TCP loopback, pty, cupsd)."""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakeprinter import PtyPrinter, TcpPrinter  # noqa: E402


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
CUPS_LOCK = "/tmp/semenit-test-cupsd.lock"


def _cups_running() -> bool:
    result = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    return "scheduler is running" in result.stdout


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


def _cups_pdf_ppd() -> str:
    models = subprocess.run(["lpinfo", "-m"], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in models.splitlines() if "cups-pdf" in line.lower()]
    for preferred in ("CUPS-PDF_opt.ppd", "CUPS-PDF_noopt.ppd"):
        for name in names:
            if name.endswith(preferred):
                return name
    pytest.fail(f"no cups-pdf driver known to CUPS (lpinfo -m): {names}; is printer-driver-cups-pdf installed?")


@pytest.fixture(scope="session")
def cups_pdf():
    """A cups-pdf queue on a running cupsd (ours if none runs; stopped at the end if we started it).

    Several test runs may share the machine: each holds a shared lock while it uses CUPS, and only the
    run that started cupsd stops it, and only when nobody else holds the lock."""
    for tool in ("cupsd", "lpadmin", "lpstat", "lp", "lpq", "lpinfo", "cupsenable", "cupsdisable", "cupsaccept"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: `make setup` installs cups, cups-client, printer-driver-cups-pdf")
    lock_fd = os.open(CUPS_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(lock_fd, fcntl.LOCK_EX)
    daemon = None
    try:
        if not _cups_running():
            log = open(Path(tempfile.gettempdir()) / "semenit-test-cupsd.log", "ab")  # noqa: SIM115
            daemon = subprocess.Popen(["cupsd", "-f"], stdout=log, stderr=log, start_new_session=True)
            deadline = time.monotonic() + 20
            while not _cups_running():
                if daemon.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("cupsd did not start; see /tmp/semenit-test-cupsd.log")
                time.sleep(0.1)
        subprocess.run(["lpadmin", "-p", CUPS_QUEUE, "-E", "-v", "cups-pdf:/", "-m", _cups_pdf_ppd()],
                       check=True, capture_output=True)
        subprocess.run(["cupsenable", CUPS_QUEUE], check=True)
        subprocess.run(["cupsaccept", CUPS_QUEUE], check=True)
        subprocess.run(["cancel", "-a", CUPS_QUEUE], check=False)
    finally:
        fcntl.flock(lock_fd, fcntl.LOCK_SH)  # downgrade: others may use the queue alongside us
    try:
        yield {"queue": CUPS_QUEUE, "out_dirs": _cups_pdf_dirs()}
    finally:
        if daemon is not None:
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                daemon.terminate()
                try:
                    daemon.wait(10)
                except subprocess.TimeoutExpired:
                    daemon.kill()
                    daemon.wait(5)
            except BlockingIOError:
                pass  # another run is using it; it stays up (no systemd to own it anyway)
        fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)
