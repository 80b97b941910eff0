"""Stopping a daemon a test started (cupsd in a tmp folder or in a Debian root): politely, then for sure."""

from __future__ import annotations

import subprocess


def stop_daemon(daemon: subprocess.Popen, grace_s: float = 10) -> None:
    daemon.terminate()
    try:
        daemon.wait(grace_s)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait(5)
