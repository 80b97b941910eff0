"""Small durable JSON documents changed under a lock: counters, lockouts, queue state.

    with locked_document(home / "queue.json") as doc:
        doc["last"] = doc.get("last", 0) + 1

The block runs with an exclusive lock held across processes; when it ends without an exception the
new content replaces the old atomically and durably (fsync) before the lock is released. If it
raises, nothing is written.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import orjson

from appliance.storage.atomic import atomic_write
from appliance.storage.locks import file_lock


class CorruptDocument(Exception):
    """A state file exists but is not valid JSON (edited by hand, or a disk fault)."""


def read_document(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CorruptDocument(f"{path}: {exc}") from exc
    if not isinstance(value, dict):
        raise CorruptDocument(f"{path}: not a JSON object")
    return value


@contextmanager
def locked_document(path: Path | str):
    path = Path(path)
    with file_lock(path.with_name(path.name + ".lock")):
        doc = read_document(path)
        options = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2
        before = orjson.dumps(doc, option=options)
        yield doc
        after = orjson.dumps(doc, option=options)
        if after != before:
            atomic_write(path, after, mode=0o600)
