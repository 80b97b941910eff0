"""Real elapsed time for rules that outlive a process: a lockout, the queue's day.

A Pi 4 has no real-time clock: it boots with a wrong time (1970, or the last time fake-hwclock saved)
until NTP answers, and NTP then moves the clock by hours or years. A rule written with the wall clock
alone is fooled both ways. A stamp records, beside the wall time, the boot it was taken in and the
kernel's CLOCK_BOOTTIME (which only moves forward, suspend included); two stamps of the same boot give
the real time between them whatever the wall clock did. Across a reboot nothing is known, and the
caller falls back to the wall clock with its own bound.

    then = stamp()            # stored with the state
    real_elapsed(then, stamp())  -> seconds, or None when another boot took `then`
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

_BOOT_ID = "/proc/sys/kernel/random/boot_id"


def boot_id() -> str:
    try:
        with open(_BOOT_ID, encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return ""  # unknown: no two stamps will be taken as the same boot


def stamp() -> dict:
    """The moment now: {"boot", "up" (seconds since boot), "wall" (Unix time)}."""
    return {"boot": boot_id(), "up": time.clock_gettime(time.CLOCK_BOOTTIME), "wall": time.time()}


def following(clock: Callable[[], float | datetime]) -> Callable[[], dict]:
    """Stamps whose real time is `clock`'s time: for tests and tools that drive time themselves."""

    def make() -> dict:
        now = clock()
        wall = now.timestamp() if isinstance(now, datetime) else float(now)
        return {"boot": "clock", "up": wall, "wall": wall}

    return make


def real_elapsed(then: dict | None, now: dict) -> float | None:
    """Seconds between two stamps of the same boot (never negative); None if that cannot be known."""
    if not isinstance(then, dict) or not now.get("boot") or then.get("boot") != now.get("boot"):
        return None
    try:
        return max(0.0, float(now["up"]) - float(then["up"]))
    except (KeyError, TypeError, ValueError):
        return None
