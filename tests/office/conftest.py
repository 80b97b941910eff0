"""Fixtures of the office tests: a private cupsd (its own folders and socket, never the machine's CUPS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

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
"""


@pytest.fixture
def private_cups(tmp_path):
    """A cupsd of our own: lpadmin, lpinfo and the queue script talk to it through CUPS_SERVER."""
    if os.geteuid() != 0:
        pytest.fail("the CUPS queue test needs root (lpadmin writes the server's PPDs): run it as root, as CI does")
    for tool in ("cupsd", "lpadmin", "lpinfo", "lpstat", "lpoptions", "cupsfilter"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: `make setup` installs cups and cups-client (Makefile DEB_PACKAGES)")
    root = tmp_path / "cups"
    for sub in ("etc/ppd", "spool", "cache", "state", "tmp", "log"):
        (root / sub).mkdir(parents=True)
    os.chmod(tmp_path, 0o755)
    (root / "etc" / "cupsd.conf").write_text(CUPSD_CONF.format(root=root))
    (root / "etc" / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root))
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


# The kiosk under Xvfb, as the UI tests run it (a private display, the app on real services).
from tests.ui.conftest import kiosk_factory, ui_display  # noqa: E402, F401
