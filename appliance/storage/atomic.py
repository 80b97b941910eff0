"""Replace a file so that a crash or power cut leaves either the old or the new content, never a mix."""

from __future__ import annotations

import os
import time
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path | str, data: bytes, mode: int = 0o644, *, fsync_file: bool = True,
                 fsync_folder: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, rename it over `path`, fsync the folder.

    On any error (ENOSPC included) the temporary file is removed and `path` is untouched. A kill at any
    point leaves the old content or the new. Each fsync costs a disk flush (milliseconds on a busy disk
    or an SD card), so a caller whose file may lag after a power cut says so:
    - fsync_folder=False: the new content is whole on disk, but after a power cut the file may still
      be the previous version (the letter register's signed head, which may lag the chain);
    - fsync_file=False as well: after a power cut the file may be old, or empty (derived data rebuilt
      from its truth when damaged: the letter counters, from the register).
    """
    import tempfile  # here: a command that only reads never pays for its import

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if fsync_file:
                os.fsync(fd)
        finally:
            os.close(fd)
        if mode != 0o600:  # mkstemp made it 0600
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if fsync_folder:
        fsync_dir(path.parent)


# A live writer holds its temporary file for well under a second; one this old was left by a killed
# writer. Younger ones may belong to another process writing right now (the kiosk and the CLI share a
# data folder) and must not be pulled from under it.
STALE_AFTER_S = 600


def remove_stale_temporaries(directory: Path, older_than_s: float = STALE_AFTER_S) -> None:
    """Delete temporary files a killed writer left behind (they never replaced anything)."""
    cutoff = time.time() - older_than_s
    for tmp in Path(directory).glob(".*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass
