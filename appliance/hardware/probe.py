"""What the button and light really have: the kiosk's own word while it holds the pins, a fresh open otherwise.

A pin can be claimed by one process only, so while the kiosk runs the self-test cannot open the pins to see.
The kiosk therefore writes what it got when it opened them (the pin factory, or why there is none) to
SEMENIT_HOME/gpio-state.json with its process id. The self-test believes that file only when the id is the
running kiosk's (systemd's MainPID): a report left by an earlier run is never taken for the current one.
When the kiosk does not run, the self-test opens the pins itself, the same way the kiosk does.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

STATE_FILE = "gpio-state.json"


def describe(hw) -> dict:
    """available, the pin factory's class name (LGPIOFactory, MockFactory, ...) or None, and why not."""
    factory = getattr(hw, "factory", None)
    return {
        "available": bool(hw.available),
        "factory": type(factory).__name__ if factory is not None else None,
        "reason": None if hw.available else str(hw.reason or ""),
    }


def record_state(home: Path, hw, pid: int | None = None) -> None:
    """The kiosk's report of its GPIO, for the self-test. A write that fails never stops the kiosk."""
    from appliance.storage.atomic import atomic_write

    state = {"pid": pid or os.getpid(), "at": datetime.now(UTC).isoformat(timespec="seconds"), **describe(hw)}
    try:
        atomic_write(Path(home) / STATE_FILE, json.dumps(state).encode())
    except OSError as exc:
        log.warning("GPIO state not written: %s", exc)


def kiosk_state(home: Path, pid: int | None) -> dict | None:
    """The report of the kiosk running as `pid`, or None (no report, or one from another process)."""
    if not pid:
        return None
    try:
        state = json.loads((Path(home) / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("pid") == pid else None


def open_and_describe(settings) -> dict:
    """Open the pins as the kiosk would (button with its callback, light), say what came of it, let go."""
    from appliance.hardware import open_hardware

    hw = open_hardware(settings, on_button=lambda *args: None)
    try:
        return describe(hw)
    finally:
        hw.close()
