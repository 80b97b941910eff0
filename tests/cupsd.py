"""A private cupsd for tests: its own folders and socket, never the machine's CUPS.

Every test run starts its own, so runs sharing a machine (CI beside a developer's run, helpers' runs) never
see each other's queues, jobs or stopped printers, and nothing is left running when a run is killed: the
daemon lives in a folder of its own and is stopped when the fixture ends."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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
TOOLS = ("cupsd", "lpadmin", "lpinfo", "lpstat", "lp", "lpq", "lpoptions", "cancel",
         "cupsenable", "cupsdisable", "cupsaccept", "cupsfilter")


@dataclass(frozen=True)
class PrivateCups:
    root: Path
    env: dict[str, str]  # the environment that points CUPS's tools at this daemon

    @property
    def socket(self) -> str:
        return self.env["CUPS_SERVER"]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), env=self.env, capture_output=True, text=True, check=check)


@contextlib.contextmanager
def private_cupsd(backends: dict[str, str] | None = None) -> Iterator[PrivateCups]:
    """Start a cupsd of our own; `backends` replaces Debian's backends of those names by shell scripts
    (`{root}` in a script is the daemon's folder).

    Its folder is made under /tmp with mode 0755 because cupsd runs filters and backends as user lp, which
    may not enter pytest's 0700 temporary folders."""
    if os.geteuid() != 0:
        pytest.fail("the CUPS tests need root (cupsd and its backends run as root): run `make test` as root, as CI does")
    for tool in TOOLS:
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: `make setup` installs cups, cups-client, printer-driver-cups-pdf")
    root = Path(tempfile.mkdtemp(prefix="semenit-test-cupsd-"))
    root.chmod(0o755)
    for sub in ("etc/ppd", "spool", "cache", "state", "tmp", "log"):
        (root / sub).mkdir(parents=True)
    (root / "tmp").chmod(0o1777)  # filters, running as lp, write their temporary files there
    # Debian's CUPS programs, with the named backends replaced.
    serverbin = root / "lib"
    (serverbin / "backend").mkdir(parents=True)
    for sub in Path("/usr/lib/cups").iterdir():
        if sub.name != "backend":
            (serverbin / sub.name).symlink_to(sub)
    for backend in Path("/usr/lib/cups/backend").iterdir():
        if backend.name not in (backends or {}):
            (serverbin / "backend" / backend.name).symlink_to(backend)
    for name, script in (backends or {}).items():
        path = serverbin / "backend" / name
        path.write_text(script.format(root=root))
        path.chmod(0o700)  # run as root, as Debian's own usb backend is
    (root / "etc" / "cupsd.conf").write_text(CUPSD_CONF.format(root=root))
    (root / "etc" / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=root, serverbin=serverbin))
    env = {**os.environ, "CUPS_SERVER": str(root / "cups.sock"), "CUPS_SERVERROOT": str(root / "etc"),
           "LC_ALL": "C"}
    daemon = subprocess.Popen(["cupsd", "-f", "-c", str(root / "etc" / "cupsd.conf"),
                               "-s", str(root / "etc" / "cups-files.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    cups = PrivateCups(root, env)
    try:
        deadline = time.monotonic() + 30
        while "scheduler is running" not in cups.run("lpstat", "-r", check=False).stdout:
            if daemon.poll() is not None or time.monotonic() > deadline:
                log = root / "log" / "error_log"
                pytest.fail(f"the private cupsd did not start: {log.read_text(errors='replace') if log.exists() else ''}")
            time.sleep(0.1)
        yield cups
    finally:
        stop_daemon(daemon)
        shutil.rmtree(root, ignore_errors=True)


def stop_daemon(daemon: subprocess.Popen, grace_s: float = 10) -> None:
    """Stop a daemon a test started (cupsd in a tmp folder or in a Debian root): politely, then for sure."""
    daemon.terminate()
    try:
        daemon.wait(grace_s)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait(5)
