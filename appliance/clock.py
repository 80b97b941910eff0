"""The unit's clock: may a letter be dated today?

A letter states the date it was issued, so a wrong clock makes the village sign a false statement. Since
the unit booted, the time is known to be right when:
- NTP synchronised it: systemd-timesyncd writes /run/systemd/timesync/synchronized at its first
  synchronisation, and /run is empty at every boot (the boot, and so the kiosk, waits for it 45 s at
  most: provisioning's systemd-time-wait-sync drop-in);
- a battery-backed RTC (a Pi 5's own, or an I²C DS3231 module on a Pi 4: firmware_config) kept its time
  (not before the last register entry, not before EARLIEST) and the system clock agrees with it;
- the operator confirmed the date on the touch screen with the operator PIN, recorded with this boot's id.
Otherwise, on a unit, the kiosk asks the operator before the first letter. A Pi 4 with neither network nor
RTC starts from the saved clock (timesyncd's clock file, written every minute): the time of the power cut,
plausible but wrong, which is why it must be confirmed.

Whatever the clock says, no letter is dated before the last entry of the register: a clock set back
would otherwise issue letters out of order (`letter_day_allowed`, checked where the letter number is
taken). The rules take their paths and times as arguments, so they are tested without touching the clock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from appliance.storage.atomic import atomic_write

DEFAULTS = {
    "confirm": "auto",  # auto (on a unit) | always | never
    "synced_flag": "/run/systemd/timesync/synchronized",
    "rtc_dir": "/sys/class/rtc/rtc0",
    "boot_id": "/proc/sys/kernel/random/boot_id",
}
EARLIEST = date(2025, 1, 1)  # older than this software: an RTC that lost its time
STATE_NAME = "clock-confirmed.json"
TAIL_BYTES = 8192
RTC_TOLERANCE_S = 300  # an RTC drifts a few seconds a day; a lost one is years off


@dataclass(frozen=True)
class ClockSources:
    """Where this machine says how its time was set (files of systemd and the kernel)."""

    synced_flag: Path
    rtc_dir: Path
    boot_id: Path

    @classmethod
    def from_settings(cls, conf: dict) -> ClockSources:
        return cls(Path(str(conf["synced_flag"])), Path(str(conf["rtc_dir"])), Path(str(conf["boot_id"])))


def confirmation_required(conf: dict, on_unit: bool) -> bool:
    """Whether this kiosk asks at all: always on a unit; on a desktop only when told to."""
    mode = str(conf.get("confirm", "auto"))
    return mode == "always" or (mode == "auto" and on_unit)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def ntp_synced(sources: ClockSources) -> bool:
    return sources.synced_flag.exists()


def rtc_trusted(sources: ClockSources, now: datetime, not_before: date | None = None,
                tolerance_s: float = RTC_TOLERANCE_S) -> bool:
    """A battery-backed RTC that kept its time (not before EARLIEST or the last register entry) and that
    the system clock agrees with: the clock came from it at boot (the kernel for a Pi 5's RTC, udev's
    hwclock-set for an I2C module, which the kernel's `hctosys` flag does not show)."""
    try:
        rtc = int(_read(sources.rtc_dir / "since_epoch"))
        day = datetime.fromtimestamp(rtc, UTC).date()
    except (ValueError, OverflowError, OSError):
        return False
    return day >= max(EARLIEST, not_before or EARLIEST) and abs(now.timestamp() - rtc) <= tolerance_s


def operator_confirmed(home: Path, sources: ClockSources) -> bool:
    boot = _read(sources.boot_id)
    try:
        state = orjson.loads((Path(home) / STATE_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return False
    return bool(boot) and isinstance(state, dict) and state.get("boot_id") == boot


def confirmed_by(home: Path, sources: ClockSources, now: datetime,
                 not_before: date | None = None) -> str | None:
    """"ntp", "rtc" or "operator": what vouches for the time since this boot; None when nothing does."""
    if ntp_synced(sources):
        return "ntp"
    if rtc_trusted(sources, now, not_before):
        return "rtc"
    if operator_confirmed(home, sources):
        return "operator"
    return None


def confirm(home: Path, sources: ClockSources, now: datetime) -> None:
    """The operator (after the PIN) says the date shown is right: valid until the next boot."""
    boot = _read(sources.boot_id)
    record = {"boot_id": boot, "confirmed_at": now.isoformat(timespec="seconds")}
    atomic_write(Path(home) / STATE_NAME, orjson.dumps(record), mode=0o640)


def last_register_day(register_path: Path, timezone: str) -> date | None:
    """The date of the register's last entry: its letter day, or the day it was written (local time).
    Reads only the end of the file (a window that grows until it holds a whole entry)."""
    try:
        fh = open(register_path, "rb")
    except OSError:
        return None
    with fh:
        size = os.fstat(fh.fileno()).st_size
        window = TAIL_BYTES
        while True:
            start = max(0, size - window)
            fh.seek(start)
            lines = fh.read(size - start).splitlines()
            if start > 0:
                lines = lines[1:]  # cut in the middle
            for line in reversed(lines):
                day = _entry_day(line, timezone)
                if day is not None:
                    return day
            if start == 0:
                return None
            window *= 4


def _entry_day(line: bytes, timezone: str) -> date | None:
    try:
        entry = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None  # a line torn by a power cut
    if not isinstance(entry, dict):
        return None
    days = []
    if isinstance(entry.get("day"), str):
        days.append(date.fromisoformat(entry["day"]))
    if isinstance(entry.get("at"), str):
        at = datetime.fromisoformat(entry["at"])
        days.append((at.astimezone(ZoneInfo(timezone)) if at.tzinfo else at).date())
    return max(days) if days else None


def letter_day_allowed(day: date, last: date | None) -> bool:
    """A letter may not be dated before the last thing the register recorded."""
    return last is None or day >= last


def operator_must_confirm(home: Path, conf: dict, on_unit: bool, register_path: Path, timezone: str) -> bool:
    """The kiosk's question before a letter: must the operator confirm the date first?"""
    if not confirmation_required(conf, on_unit):
        return False
    last = last_register_day(register_path, timezone)
    return confirmed_by(home, ClockSources.from_settings(conf), datetime.now(UTC), last) is None
