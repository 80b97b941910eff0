"""Fixtures of the office tests: a private cupsd (its own folders and socket, never the machine's CUPS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from daemons import stop_daemon

CUPSD_CONF = """\
Listen {root}/cups.sock
LogLevel warn
WebInterface No
Browsing No
<Location />
  Order allow,deny
  Allow localhost
</Location>
<Location /admin>
  Order allow,deny
  Allow localhost
</Location>
"""
CUPS_FILES_CONF = """\
ServerRoot {root}/etc
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
ServerBin {serverbin}
"""
# CUPS's usb backend, as cupsd runs it to list devices: here it announces the printers a test "plugs in"
# (lines of CUPS's backend protocol in usb-devices), since this machine has no USB printer.
USB_BACKEND = """#!/bin/sh
[ $# -eq 0 ] && cat {root}/usb-devices 2>/dev/null
exit 0
"""


@pytest.fixture
def private_cups(tmp_path):
    """A cupsd of our own: lpadmin, lpinfo and the queue script talk to it through CUPS_SERVER. Write
    backend lines into root/"usb-devices" to have printers seen on USB."""
    if os.geteuid() != 0:
        pytest.fail("the CUPS queue test needs root (lpadmin writes the server's PPDs): run it as root, as CI does")
    for tool in ("cupsd", "lpadmin", "lpinfo", "lpstat", "lpoptions", "cupsfilter"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: `make setup` installs cups and cups-client (Makefile DEB_PACKAGES)")
    root = tmp_path / "cups"
    for sub in ("etc/ppd", "spool", "cache", "state", "tmp", "log"):
        (root / sub).mkdir(parents=True)
    os.chmod(tmp_path, 0o755)
    # Debian's CUPS programs, but for the usb backend (see USB_BACKEND); outside the test's tmp folder,
    # which user lp (cupsd runs its helpers as lp) may not enter.
    serverbin = Path(tempfile.mkdtemp(prefix="semenit-office-cups-bin-"))
    serverbin.chmod(0o755)
    (serverbin / "backend").mkdir()
    for sub in Path("/usr/lib/cups").iterdir():
        if sub.name != "backend":
            (serverbin / sub.name).symlink_to(sub)
    for backend in Path("/usr/lib/cups/backend").iterdir():
        if backend.name != "usb":
            (serverbin / "backend" / backend.name).symlink_to(backend)
    usb = serverbin / "backend" / "usb"
    usb.write_text(USB_BACKEND.format(root=root))
    usb.chmod(0o700)  # run as root, as Debian's own usb backend is
    (root / "etc" / "cupsd.conf").write_text(CUPSD_CONF.format(root=root))
    (root / "etc" / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root, serverbin=serverbin))
    env = {**os.environ, "CUPS_SERVER": str(root / "cups.sock"), "CUPS_SERVERROOT": str(root / "etc"),
           "LC_ALL": "C"}
    daemon = subprocess.Popen(["cupsd", "-f", "-c", str(root / "etc" / "cupsd.conf"),
                               "-s", str(root / "etc" / "cups-files.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while "scheduler is running" not in subprocess.run(["lpstat", "-r"], env=env, capture_output=True,
                                                       text=True).stdout:
        if daemon.poll() is not None or time.monotonic() > deadline:
            daemon.kill()
            pytest.fail(f"the private cupsd did not start: {(root / 'log' / 'error_log').read_text(errors='replace')}")
        time.sleep(0.1)
    try:
        yield {"root": root, "env": env}
    finally:
        stop_daemon(daemon)
        shutil.rmtree(serverbin)


# The kiosk under Xvfb, as the UI tests run it (a private display, the app on real services).
from tests.ui.conftest import kiosk_factory, ui_display  # noqa: E402, F401
