"""The operator: a PIN kept as a slow hash, and what the operator menu may do to the unit.

The PIN is stored as an argon2id hash (argon2-cffi) in `home/operator_pin.json`, never in clear; it is
set at provisioning (`semenit operator set-pin --pin-file F`) or on the terminal. Failed PIN entries on
the screen go through the same lockout as residents' verifications (key "operator"), so the hidden
gesture cannot be used to guess it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from appliance.errors import SemenitError
from appliance.storage.document import locked_document

PIN_FILE = "operator_pin.json"
PIN_MIN, PIN_MAX = 4, 12
# The lockout key for operator PIN guesses (a NIK is always 16 digits, so this cannot collide).
OPERATOR_LOCK_KEY = "operator"


class PinError(SemenitError, ValueError):
    """A PIN that cannot be used; `key` is the catalog key of the reason."""


def _hasher():
    from argon2 import PasswordHasher

    # Interactive-login parameters sized for a Raspberry Pi 4 (~0.1 s there, well under the UI's patience).
    return PasswordHasher(time_cost=2, memory_cost=32768, parallelism=1)


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(digest: str, secret: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(digest, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_pin_format(pin: str) -> None:
    if not pin.isdigit():
        raise PinError("ui.operator.pin_digits")
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise PinError("ui.operator.pin_length")


class OperatorPin:
    def __init__(self, home: Path):
        self.path = Path(home) / PIN_FILE

    def is_set(self) -> bool:
        with locked_document(self.path) as doc:
            return bool(doc.get("argon2"))

    def set(self, pin: str) -> None:
        check_pin_format(pin)
        digest = hash_secret(pin)
        with locked_document(self.path) as doc:
            doc["argon2"] = digest

    def verify(self, pin: str) -> bool:
        with locked_document(self.path) as doc:
            digest = doc.get("argon2")
        if not digest:
            return False
        return verify_secret(digest, pin)


# --- restart / shut down ------------------------------------------------------------------------------

SYSTEM_ACTIONS = {
    "restart": ["systemctl", "reboot"],
    "shutdown": ["systemctl", "poweroff"],
}


@dataclass(frozen=True)
class SystemAction:
    name: str
    command: list[str]
    on_unit: bool


def on_unit(settings_section: dict | None = None) -> bool:
    """A unit runs the kiosk as a systemd service (INVOCATION_ID set); a desktop only says what it would do."""
    mode = str((settings_section or {}).get("mode", "auto"))
    if mode in ("unit", "desktop"):
        return mode == "unit"
    return bool(os.environ.get("INVOCATION_ID")) and shutil.which("systemctl") is not None


def system_action(name: str, unit: bool) -> SystemAction:
    return SystemAction(name, list(SYSTEM_ACTIONS[name]), unit)


def run_system_action(action: SystemAction) -> bool:
    """Run it on a unit; on a desktop do nothing (the caller shows the command instead)."""
    if not action.on_unit:
        return False
    subprocess.Popen(action.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    return True
