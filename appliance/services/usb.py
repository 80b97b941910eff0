"""USB stick watcher: tells the UI which resident files a stick offers, off the UI thread.

On a unit, udev hands a stick to a systemd service that mounts it read-only under the mount folder
([usb] mount_dir, default /media/semenit); on a desktop the folder is a plain folder you drop a file
into. The backend polls the folder (cheap, and works for both); it never follows symlinks, never opens
device files, stops after a bounded number of entries, and only offers regular files with a resident
file extension. It also reports the sticks the unit's helper refused (NTFS, damaged), so the operator is
told (appliance.services.usb_export); exports go through that module's short read-write mount.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from appliance.services.usb_export import StickNotice, refused

EXPORT_DIR = "semenit-ekspor"  # where the kiosk writes its exports on the stick (never offered for import)
DEFAULTS = {"mount_dir": "/media/semenit", "poll_s": 2.0, "export_dir": EXPORT_DIR,
            "request_dir": "/run/semenit-usb"}
EXTENSIONS = (".xlsx", ".xls", ".csv")
MAX_ENTRIES = 2000
MAX_DEPTH = 2


@dataclass(frozen=True)
class StickFile:
    path: Path
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def scan(mount_dir: Path, skip: tuple[str, ...] = (EXPORT_DIR,)) -> list[StickFile]:
    """Resident files under `mount_dir` (two levels deep), newest first; folders named in `skip`
    (what the kiosk itself exported to the stick) are not offered back for import."""
    found: list[tuple[float, StickFile]] = []
    seen = 0
    stack = [(Path(mount_dir), 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                break
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and depth < MAX_DEPTH and not entry.name.startswith(".") \
                    and entry.name not in skip:
                stack.append((Path(entry.path), depth + 1))
            elif stat.S_ISREG(st.st_mode) and entry.name.lower().endswith(EXTENSIONS) and not entry.name.startswith("."):
                found.append((st.st_mtime, StickFile(Path(entry.path), st.st_size)))
    return [f for _, f in sorted(found, key=lambda x: (-x[0], str(x[1].path)))]


class UsbWatcher:
    """Polls the mount folder in a daemon thread; `on_change(files)` is called from that thread."""

    def __init__(self, mount_dir: Path | str, on_change: Callable[[list[StickFile]], None], poll_s: float = 2.0,
                 skip: tuple[str, ...] = (EXPORT_DIR,)):
        self.mount_dir = Path(mount_dir)
        self.skip = skip
        self.on_change = on_change
        self.poll_s = float(poll_s)
        self.files: list[StickFile] = []
        self.refused: list[StickNotice] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> list[StickFile]:
        files = scan(self.mount_dir, self.skip)
        notices = refused(self.mount_dir)
        if files != self.files or notices != self.refused:
            self.files, self.refused = files, notices
            self.on_change(files)
        return files

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="usb-watcher", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - a bad stick must never stop the watcher
                pass
            self._stop.wait(self.poll_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
