"""An index beside a packed TinyDB file: where each row of one table lies in the file, by a 16-byte key.

A cold `semenit residents find` or the kiosk's first look-up after a restart would otherwise read and
parse all 100,000 residents (0.3-0.4 s) to answer for one. The index holds, sorted by key, each row's
byte offset and length in the store file; a look-up binary-searches it (mmap) and parses one row.

It is derived data and trusted only while it matches: its header carries the store file's signature
(inode, size, modification time; every commit replaces the file by rename, so a new commit is a new
signature), and the row read must hold the key looked up. Any disagreement (a commit or rollback killed
before the index was written, a copied file, a damaged index) means "unusable": the caller reads the
store whole and writes the index again. Written with the same atomic replacement as the store.
"""

from __future__ import annotations

import mmap
import os
import struct
import zlib
from pathlib import Path

import orjson

MAGIC = b"SMNKIX02"
KEY_BYTES = 16
# magic, inode, size, mtime_ns, count, CRC-32 of the records (a damaged record must not answer "absent")
_HEAD = struct.Struct(f"<{len(MAGIC)}sQQqQI")
_REC = struct.Struct(f"<{KEY_BYTES}sQI")  # key, offset, length


def file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def row_offsets(data: bytes, table: str, rows: list[list], key_col: int) -> list[tuple[bytes, int, int]] | None:
    """(key, offset, length) of each row of `table` in the file bytes `data`, as orjson wrote them.

    None when the rows cannot be indexed: a key that is not 16 ASCII characters, or a file not laid out
    the way PackedStorage writes it (then the store is simply read whole)."""
    marker = b'"tables":{' + orjson.dumps(table) + b":{"
    start = data.find(marker)
    if start < 0:
        return None
    start = data.find(b'"rows":[', start)
    if start < 0:
        return None
    offset = start + len(b'"rows":[')
    view = memoryview(data)
    out = []
    for row in rows:
        key = row[key_col]
        if not isinstance(key, str) or len(key) != KEY_BYTES or not key.isascii():
            return None
        raw = orjson.dumps(row)
        end = offset + len(raw)
        if view[offset:end] != raw:
            return None
        out.append((key.encode("ascii"), offset, len(raw)))
        offset = end + 1  # the comma (or the closing bracket after the last row)
    return out


def write_index(path: Path, signature: tuple[int, int, int], entries: list[tuple[bytes, int, int]]) -> None:
    from appliance.storage.atomic import atomic_write  # tempfile: only a writer pays for it

    records = b"".join(_REC.pack(*e) for e in sorted(entries))
    atomic_write(path, _HEAD.pack(MAGIC, *signature, len(entries), zlib.crc32(records)) + records, mode=0o600)


UNUSABLE = object()


def lookup(index_path: Path, store_path: Path, key: str, key_col: int):
    """The row (a list) stored under `key`, None when the store has no such key, or UNUSABLE."""
    try:
        fd = os.open(index_path, os.O_RDONLY)
    except OSError:
        return UNUSABLE
    try:
        size = os.fstat(fd).st_size
        if size < _HEAD.size:
            return UNUSABLE
        with mmap.mmap(fd, size, access=mmap.ACCESS_READ) as mm:
            magic, ino, st_size, mtime_ns, count, crc = _HEAD.unpack_from(mm, 0)
            if magic != MAGIC or size != _HEAD.size + count * _REC.size:
                return UNUSABLE
            if zlib.crc32(memoryview(mm)[_HEAD.size:]) != crc:  # ~1 ms for 100,000 residents
                return UNUSABLE
            if file_signature(store_path) != (ino, st_size, mtime_ns):
                return UNUSABLE
            wanted = key.encode("ascii", "replace")
            lo, hi = 0, count
            while lo < hi:
                mid = (lo + hi) // 2
                at = _HEAD.size + mid * _REC.size
                if mm[at:at + KEY_BYTES] < wanted:
                    lo = mid + 1
                else:
                    hi = mid
            if lo == count:
                return None
            found, offset, length = _REC.unpack_from(mm, _HEAD.size + lo * _REC.size)
            if found != wanted:
                return None
    finally:
        os.close(fd)
    try:
        with open(store_path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if (st.st_ino, st.st_size, st.st_mtime_ns) != (ino, st_size, mtime_ns):
                return UNUSABLE  # replaced between the check and the open
            raw = os.pread(fh.fileno(), length, offset)
        row = orjson.loads(raw)
    except (OSError, orjson.JSONDecodeError):
        return UNUSABLE
    if not isinstance(row, list) or len(row) <= key_col or row[key_col] != key:
        return UNUSABLE
    return row
