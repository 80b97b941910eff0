"""systemd notify without a dependency: READY=1 when the home screen shows, WATCHDOG=1 from the UI's clock.

Why from the UI's clock: the ping must stop when the UI thread freezes, so that systemd (WatchdogSec)
restarts a kiosk that hangs instead of leaving a frozen screen in front of a resident.
"""

from __future__ import annotations

import os
import socket


def notify_socket() -> str | None:
    return os.environ.get("NOTIFY_SOCKET") or None


def notify(message: str, path: str | None = None) -> bool:
    """Send one datagram to $NOTIFY_SOCKET ("@name" = abstract socket). False when there is none."""
    path = path or notify_socket()
    if not path:
        return False
    address = "\0" + path[1:] if path.startswith("@") else path
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        try:
            sock.connect(address)
            sock.sendall(message.encode())
        except OSError:
            return False
    return True


def ping_interval_s(default: float = 5.0) -> float:
    """Half of WATCHDOG_USEC when systemd set it, else `default`."""
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", "0"))
    except ValueError:
        usec = 0
    return usec / 2_000_000 if usec > 0 else default
