"""The crash record: why the kiosk last stopped without being asked to, kept on the card across reboots.

The journal lives in RAM (logs wear the SD card), so after the reboot that systemd makes when the kiosk keeps
crashing (StartLimitAction=reboot) nothing would tell the technician why. semenit-ui.service's ExecStopPost
runs `python -m appliance.crashrecord semenit-ui.service` as root after every stop: a stop systemd reports as
anything but "success" adds one entry (time, systemd's result and exit status, the unit's last journal
lines with any NIK masked) to SEMENIT_HOME/crash-record.json, written atomically and fsync'd, the newest
KEEP entries only. `semenit selftest` reads it. Standard library and the storage module only: it must run
even when the app's other parts are what crashed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

FILENAME = "crash-record.json"
KEEP = 20
LOG_LINES = 15
KIOSK_GROUP = "kiosk"

_NIK = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def path(home: Path) -> Path:
    return Path(home) / FILENAME


def read(home: Path) -> list[dict]:
    """The recorded crashes, oldest first; [] when there are none (or the file cannot be read)."""
    try:
        entries = json.loads(path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _journal_tail(unit: str, lines: int = LOG_LINES) -> list[str]:
    try:
        out = subprocess.run(["journalctl", "--unit", unit, "--lines", str(lines), "--output", "cat",
                              "--no-pager", "--quiet"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return out.stdout.splitlines()[-lines:]


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def record(home: Path, unit: str, env: dict | None = None, log: list[str] | None = None) -> dict | None:
    """Add an entry for a stop that was not asked for (systemd's SERVICE_RESULT != success); else None."""
    from appliance.storage.atomic import atomic_write

    env = os.environ if env is None else env
    result = env.get("SERVICE_RESULT", "")
    if result in ("", "success"):
        return None
    entry = {
        "at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "unit": unit,
        "result": result,
        "exit_code": env.get("EXIT_CODE", ""),
        "exit_status": env.get("EXIT_STATUS", ""),
        "boot_id": _boot_id(),
        # Logs never should hold a NIK; should one slip in, it is masked before it reaches the card.
        "log": [_NIK.sub(r"\1****\2", line)[:300] for line in (_journal_tail(unit) if log is None else log)],
    }
    entries = (read(home) + [entry])[-KEEP:]
    target = path(home)
    atomic_write(target, json.dumps(entries, ensure_ascii=False, indent=1).encode(), mode=0o640)
    try:  # written by root; the kiosk user's self-test reads it
        import grp

        os.chown(target, 0, grp.getgrnam(KIOSK_GROUP).gr_gid)
    except (KeyError, PermissionError):
        pass
    return entry


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    unit = args[0] if args else "semenit-ui.service"
    home = Path(os.environ.get("SEMENIT_HOME", "/var/lib/semenit"))
    try:
        record(home, unit)
    except OSError as exc:  # a full card: nothing more to do here, and the unit's stop must not hang on it
        print(f"crash record not written: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
