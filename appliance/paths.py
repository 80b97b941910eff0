"""Where Semenit keeps its data and reads its settings (DESIGN §12)."""

from __future__ import annotations

import os
from pathlib import Path

UNIT_HOME = Path("/var/lib/semenit")
UNIT_CONFIG = Path("/etc/semenit/semenit.toml")


def home() -> Path:
    """The data folder: SEMENIT_HOME, else /var/lib/semenit on a unit, else the user's data folder."""
    env = os.environ.get("SEMENIT_HOME")
    if env:
        path = Path(env)
    elif UNIT_HOME.is_dir() and os.access(UNIT_HOME, os.W_OK):
        path = UNIT_HOME
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        path = base / "semenit"
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    """The unit's settings file: SEMENIT_CONFIG, else /etc/semenit/semenit.toml."""
    return Path(os.environ.get("SEMENIT_CONFIG") or UNIT_CONFIG)
