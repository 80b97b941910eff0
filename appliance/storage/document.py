"""Small durable JSON documents changed under a lock: counters, lockouts, queue state.

    with locked_document(home / "queue.json") as doc:
        doc["last"] = doc.get("last", 0) + 1

The block runs with an exclusive lock held across processes; when it ends without an exception the
new content replaces the old atomically and durably (fsync) before the lock is released. If it
raises, nothing is written.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

import orjson

from appliance.errors import SemenitError
from appliance.storage.atomic import atomic_write
from appliance.storage.locks import file_lock

log = logging.getLogger(__name__)


class CorruptDocument(SemenitError):
    """A state file exists but is not valid JSON (edited by hand, or a disk fault); `detail` says how."""

    def __init__(self, path: Path, detail: str):
        super().__init__("storage.corrupt_state", path=str(path))
        self.path = str(path)
        self.detail = detail


def read_document(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CorruptDocument(path, str(exc)) from exc
    if not isinstance(value, dict):
        raise CorruptDocument(path, "not a JSON object")
    return value


def set_aside(path: Path) -> Path:
    """Move a damaged file out of the way, kept for a technician: `name.damaged-N`."""
    n = 1
    while (aside := path.with_name(f"{path.name}.damaged-{n}")).exists():
        n += 1
    os.replace(path, aside)
    return aside


def read_or_set_aside(path: Path) -> dict:
    """A document whose truth is kept elsewhere (the queue's day, the letter counters rebuilt from the
    register): a damaged file is set aside, kept for a technician, and read as empty."""
    try:
        return read_document(path)
    except CorruptDocument:
        aside = set_aside(path)
        from appliance.i18n import _

        log.warning(_("storage.set_aside", path=str(path), aside=aside.name))
        return {}


DOCUMENT_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2


@contextmanager
def locked_document(path: Path | str, rebuild_if_damaged: bool = False):
    """`rebuild_if_damaged`: for a document whose truth is kept elsewhere (read_or_set_aside)."""
    path = Path(path)
    with file_lock(path.with_name(path.name + ".lock")):
        doc = read_or_set_aside(path) if rebuild_if_damaged else read_document(path)
        before = orjson.dumps(doc, option=DOCUMENT_OPTIONS)
        yield doc
        after = orjson.dumps(doc, option=DOCUMENT_OPTIONS)
        if after != before:
            atomic_write(path, after, mode=0o600)
