"""The unit's secret that turns a NIK into an opaque key (HMAC-SHA256), so the lockout, PIN and print-code
files never hold a NIK, and a copied file does not tell whose PIN or code it holds."""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from appliance.storage.atomic import atomic_write

SECRET_FILE = "kiosk_secret.bin"


def unit_secret(home: Path) -> bytes:
    """A random per-unit key (0600), made on first use."""
    path = Path(home) / SECRET_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = os.urandom(32)
    atomic_write(path, data, mode=0o600)
    return data


def nik_key(secret: bytes, nik: str) -> str:
    return hmac.new(secret, nik.encode(), hashlib.sha256).hexdigest()[:32]
