"""The USB stick as an export target: writable only for the few seconds of an export, read-only otherwise.

On a unit the root helper (provisioning: /usr/local/lib/semenit/usb-stick) mounts every stick read-only
under [usb] mount_dir. The kiosk may not mount (no sudo, NoNewPrivileges), so for an export it asks the
helper, through a request file in [usb] request_dir, to remount the stick read-write; it writes, syncs, and
asks for read-only again, also when the export failed. The helper answers each request in its own file; a
helper that does not answer in time is reported, never waited on for ever.

Where there is no request folder (a desktop, `make run`) the mount folder is a plain folder, written
directly. A stick the helper refused (NTFS, damaged, another file system) leaves a notice `.refused-NAME`;
`refused()` reads them so the operator is told in plain words what to do.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from appliance.errors import SemenitError
from appliance.storage.atomic import atomic_write

REFUSED_PREFIX = ".refused-"
REASONS = ("ntfs", "damaged", "other")
ANSWER_WAIT_S = 30.0
MAX_NOTICES = 16


class StickError(SemenitError):
    """The stick cannot take the export; its text says why and what to do."""


@dataclass(frozen=True)
class StickNotice:
    """A stick the helper did not mount: its kernel name, why (one of REASONS), its file system."""

    name: str
    reason: str
    fstype: str

    def error(self) -> StickError:
        return StickError(f"office.usb.refused.{self.reason}", name=self.name, fstype=self.fstype)

    def message(self) -> str:
        return self.error().text()


def refused(mount_dir: Path | str) -> list[StickNotice]:
    """The helper's notices of sticks it refused, by name."""
    notices = []
    try:
        entries = sorted(os.scandir(mount_dir), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if not entry.name.startswith(REFUSED_PREFIX) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, encoding="ascii", errors="replace") as fh:
                words = fh.read(200).split()
        except OSError:
            continue
        reason = words[0] if words and words[0] in REASONS else "other"
        fstype = words[1] if len(words) > 1 and words[1] != "none" else "-"
        notices.append(StickNotice(entry.name[len(REFUSED_PREFIX):], reason, fstype))
        if len(notices) >= MAX_NOTICES:
            break
    return notices


def stick_folders(mount_dir: Path | str) -> list[Path]:
    """The sticks mounted under the mount folder (one mount point each), by name."""
    try:
        entries = sorted(os.scandir(mount_dir), key=lambda e: e.name)
    except OSError:
        return []
    return [Path(e.path) for e in entries
            if not e.name.startswith(".") and e.is_dir(follow_symlinks=False) and os.path.ismount(e.path)]


@contextmanager
def writable_stick(mount_dir: Path | str, request_dir: Path | str,
                   wait_s: float = ANSWER_WAIT_S) -> Iterator[Path]:
    """The stick's folder, writable inside the block; read-only again (synced) when it ends."""
    mount_dir, request_dir = Path(mount_dir), Path(request_dir)
    sticks = stick_folders(mount_dir)
    if not sticks:
        notices = refused(mount_dir)
        if notices:
            raise notices[0].error()
        if not request_dir.is_dir() and mount_dir.is_dir():
            yield mount_dir  # a desktop: the "stick" is a plain folder
            return
        raise StickError("ui.operator.no_stick", folder=str(mount_dir))
    stick = sticks[0]
    _ask(request_dir, "rw", stick.name, wait_s)
    try:
        yield stick
    except BaseException:
        try:
            os.sync()
            _ask(request_dir, "ro", stick.name, wait_s)
        except StickError:
            pass  # the export's own error is the one the operator must read
        raise
    os.sync()
    _ask(request_dir, "ro", stick.name, wait_s)


def _ask(request_dir: Path, action: str, name: str, wait_s: float) -> None:
    """One request to the root helper, and its answer ("ok" or "error REASON"), waited for with a limit."""
    rid = secrets.token_hex(8)
    answer = request_dir / f"answer-{rid}"
    try:
        atomic_write(request_dir / "request", f"{rid} {action} {name}\n".encode("ascii"), mode=0o640)
    except OSError as exc:
        raise StickError("office.usb.no_helper", error=exc.strerror or str(exc)) from exc
    deadline = time.monotonic() + wait_s
    while not answer.exists():
        if time.monotonic() > deadline:
            (request_dir / "request").unlink(missing_ok=True)
            raise StickError("office.usb.no_answer", name=name)
        time.sleep(0.05)
    text = answer.read_text(encoding="ascii", errors="replace").strip()
    answer.unlink(missing_ok=True)
    if text != "ok":
        key = "office.usb.not_writable" if action == "rw" else "office.usb.not_locked"
        raise StickError(key, name=name, error=text.removeprefix("error ")[:120])
