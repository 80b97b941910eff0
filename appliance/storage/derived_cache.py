"""Values derived from files, kept between processes in the app's own cache folder.

A cold command would otherwise parse every message catalog and load and check every letter template
(tens of milliseconds) to print one line. A value is kept with a key made of its source files (files_key)
and whatever else it depends on; another key, a missing or damaged cache file, or a cache folder that
cannot be written only mean computing the value again.

Values are pickled, and reading a pickle runs what it names: a cache file is read back only when this
user (or root) wrote it, so a file another account left in a shared cache folder (the kiosk's, read by
a technician's root shell) is never loaded, only built over.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def files_key(paths: Iterable[Path]) -> list[tuple[str, int, int, int, int]]:
    """Name, size, inode, modification and change time of each file: a file copied over with its old
    modification time kept (`cp -p`, a restored backup) still has a new change time, which nobody can set.
    A file that went missing counts as changed."""
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append((str(path), -1, -1, -1, -1))
            continue
        out.append((str(path), st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
    return out


def cached(name: str, key: object, build: Callable[[], T], keep: Callable[[T], bool] = lambda value: True) -> T:
    """The value kept as `name` under `key` (a repr-able description of all it depends on), else
    `build()`, kept for next time when `keep(value)` says so."""
    from appliance import paths
    from appliance.storage.atomic import atomic_write

    wanted = repr(key)
    try:
        cache = paths.cache_dir() / f"{name}.pickle"
    except OSError:  # no cache folder can be made (a read-only home): build it every time
        return build()
    try:
        with cache.open("rb") as fh:
            if os.fstat(fh.fileno()).st_uid in (os.getuid(), 0):
                stored_key, value = pickle.loads(fh.read())
                if stored_key == wanted:
                    return value
    except Exception:  # noqa: BLE001 - missing, damaged, or written by another version: build it again
        pass
    value = build()
    if keep(value):
        try:
            atomic_write(cache, pickle.dumps((wanted, value), protocol=pickle.HIGHEST_PROTOCOL), mode=0o600,
                         fsync_file=False, fsync_folder=False)
        except OSError:  # a read-only cache folder: build it every time
            pass
    return value
