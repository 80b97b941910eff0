"""The resident store: one TinyDB file written atomically, loaded once into memory with indexes.

On disk it is a TinyDB database (storage: appliance.storage.tinydb_storage.PackedStorage) whose
`residents` table holds one row per resident. In memory a dict by NIK answers a look-up without a
scan; families (by No KK) and e-KTP tags are indexed on first use. An import replaces the whole
file in one atomic step after hard-linking the previous file into `backups/` (the last five kept),
so a crash at any moment leaves either the old or the new population, and `rollback` brings the
previous one back.

Beside the file, `residents.nikindex` (appliance.storage.key_index) says where each resident's row lies
in it, so a store opened `lazy` answers `get(nik)` by reading one row: a cold `semenit residents find`
and the kiosk's first look-up after a restart do not parse 100,000 residents. The index is written with
each commit and trusted only while its header matches the file; otherwise the store is read whole and
the index written again. Anything beyond a look-up by NIK (iteration, families, tags) reads it whole.

Backups are numbered by a sequence, never named by the clock: a Pi 4 has no real-time clock and boots
with a wrong time until NTP answers, and rollback and pruning must follow the order of the commits.
A backup exists only for a commit that happened: a link that still shares the current file's inode
was left by a commit that failed or was killed before its rename, holds the current data, and is
neither offered to rollback nor counted when pruning.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

from tinydb import TinyDB

from appliance.errors import SemenitError
from appliance.residents.model import FIELDS, Resident
from appliance.storage import key_index
from appliance.storage.atomic import fsync_dir, remove_stale_temporaries
from appliance.storage.bulk import gc_paused
from appliance.storage.locks import file_lock
from appliance.storage.tinydb_storage import PackedStorage, StorageCorrupt

TABLE = "residents"
KEEP_BACKUPS = 5
# Columns with few distinct values: one shared string object each instead of 100,000 copies.
_SHARED_COLUMNS = tuple(FIELDS.index(f) for f in (
    "tempatlahir", "dusun", "rw", "rt", "updated_at", "import_id", "absent_since",
))
_NIK, _KK, _TAG, _LEVEL, _BORN = (FIELDS.index(f) for f in ("nik", "no_kk", "tag_id_card", "kk_level",
                                                             "tanggallahir"))


# residents-000000042.json (a sequence); residents-20261130T101500123456.json was the old clock name.
_SEQUENCED = re.compile(r"^(?:residents|undone)-(\d{9})\.json$")


def _order(path: Path) -> tuple[int, str]:
    """Sequence-numbered backups after clock-named ones from older versions, each in their own order."""
    match = _SEQUENCED.match(path.name)
    return (1, match.group(1)) if match else (0, path.name)


class StoreChanged(SemenitError):
    """Someone else committed between an import's report and its commit."""

    def __init__(self) -> None:
        super().__init__("import.cli.store_changed")


class NothingToRollBack(SemenitError):
    """No backup left to restore."""

    def __init__(self) -> None:
        super().__init__("rollback.nothing")


def _signature(path: Path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class ResidentStore:
    FILENAME = "residents.json"
    INDEX = "residents.nikindex"

    def __init__(self, home: Path):
        self.home = Path(home)
        self.path = self.home / self.FILENAME
        self.index_path = self.home / self.INDEX
        self.backup_dir = self.home / "backups"
        self.lock_path = self.home / "residents.lock"
        self.storage = PackedStorage(self.path)
        self.meta: dict = {}
        self.signature = None
        self._loaded: dict[str, list] | None = None
        self._by_kk: dict[str, list[list]] | None = None
        self._by_tag: dict[str, list] | None = None
        self.lazy = False

    @classmethod
    def open(cls, home: Path | None = None, lazy: bool = False) -> ResidentStore:
        """`lazy`: read nothing until asked; a look-up by NIK then reads one row through the index."""
        if home is None:
            from appliance import paths

            home = paths.home()
        store = cls(home)
        store.lazy = lazy
        store.reload()
        return store

    # -- loading -------------------------------------------------------------------------------
    @property
    def _by_nik(self) -> dict[str, list]:
        if self._loaded is None:
            self.reload(whole=True)
        return self._loaded

    def reload(self, whole: bool = False) -> None:
        if self.lazy and not whole:
            self._loaded = self._by_kk = self._by_tag = None
            self.signature = _signature(self.path)
            return
        with gc_paused():
            self._load()

    def _load(self) -> None:
        signature = _signature(self.path)
        packed, data = self.storage.read_packed_and_bytes()
        rows: list[list] = []
        meta: dict = {}
        if packed is not None:
            meta = packed.get("meta", {})
            table = packed.get("tables", {}).get(TABLE)
            if table is not None:
                rows = self._rows_in_model_order(table)
                if key_index.lookup(self.index_path, self.path, rows[0][_NIK] if rows else "", _NIK) is \
                        key_index.UNUSABLE and rows is table.get("rows"):
                    self._write_index(data, rows)
        shared: dict = {}
        for row in rows:
            for i in _SHARED_COLUMNS:
                value = row[i]
                if value is not None:
                    row[i] = shared.setdefault(value, value)
        self._loaded = {row[_NIK]: row for row in rows}
        self._by_kk = None
        self._by_tag = None
        self.meta = meta
        self.signature = signature

    def _rows_in_model_order(self, table: dict) -> list[list]:
        if "rows" not in table:  # written through plain TinyDB: documents as dicts
            return [[doc.get(f) for f in FIELDS] for doc in table.get("docs", {}).values()]
        fields = table["fields"]
        if tuple(fields) == FIELDS:
            return table["rows"]
        # An older or newer file: map by name, missing fields empty.
        where = [fields.index(f) if f in fields else None for f in FIELDS]
        return [[row[i] if i is not None else None for i in where] for row in table["rows"]]

    def reload_if_changed(self) -> bool:
        """Pick up an import committed by another process (the CLI, the USB service)."""
        if _signature(self.path) == self.signature:
            return False
        self.reload()
        return True

    def _write_index(self, data: bytes | None, rows: list[list]) -> None:
        """Index the rows as they lie in `data`, the bytes of the file now in place (a failure only
        costs speed: the store is then read whole)."""
        signature = key_index.file_signature(self.path)
        entries = None if data is None or signature is None or signature[1] != len(data) else \
            key_index.row_offsets(data, TABLE, rows, _NIK)
        try:
            if entries is None:
                self.index_path.unlink(missing_ok=True)
            else:
                key_index.write_index(self.index_path, signature, entries)
        except OSError:
            pass  # a read-only or full data folder: look-ups read the whole store

    # -- look-ups ------------------------------------------------------------------------------
    def get(self, nik: str) -> Resident | None:
        if self._loaded is None and self.lazy:
            row = key_index.lookup(self.index_path, self.path, nik, _NIK)
            if row is not key_index.UNUSABLE:
                return None if row is None else Resident._make(row)
        row = self._by_nik.get(nik)
        return None if row is None else Resident._make(row)

    def __contains__(self, nik: str) -> bool:
        return self.get(nik) is not None

    def __len__(self) -> int:
        return len(self._by_nik)

    def __iter__(self):
        return (Resident._make(row) for row in self._by_nik.values())

    def rows(self):
        """The raw rows (lists in FIELDS order), for the importer's comparison. Do not modify."""
        return self._by_nik

    def count_present(self) -> int:
        return sum(1 for r in self if r.present)

    def family(self, no_kk: str | None) -> list[Resident]:
        """Everyone on the Kartu Keluarga, head of the family first, then by SHDK and age."""
        if not no_kk:
            return []
        if self._by_kk is None:
            index: dict[str, list[list]] = defaultdict(list)
            for row in self._by_nik.values():
                if row[_KK]:
                    index[row[_KK]].append(row)
            self._by_kk = dict(index)
        members = self._by_kk.get(no_kk, [])
        members = sorted(members, key=lambda r: (r[_LEVEL] or 99, r[_BORN] or ""))
        return [Resident._make(row) for row in members]

    def find_by_tag(self, tag: str) -> Resident | None:
        if not tag:
            return None
        if self._by_tag is None:
            self._by_tag = {row[_TAG]: row for row in self._by_nik.values() if row[_TAG]}
        row = self._by_tag.get(tag)
        return None if row is None else Resident._make(row)

    def tinydb(self) -> TinyDB:
        """The same file through TinyDB's own API (tools and the benchmark's baseline)."""
        return TinyDB(self.path, storage=PackedStorage)

    # -- changing --------------------------------------------------------------------------------
    def commit(self, rows: list[list], meta: dict, expected_signature) -> None:
        """Replace the population with `rows` (lists in FIELDS order), keeping the old file as a backup.

        `expected_signature` is the store's signature when the import was planned: if the file has
        changed since, the plan is stale and nothing is written.
        """
        with file_lock(self.lock_path):
            if _signature(self.path) != expected_signature:
                raise StoreChanged()
            remove_stale_temporaries(self.home)
            self._drop_unused_backups()
            table = {"fields": list(FIELDS), "ids": list(range(1, len(rows) + 1)), "rows": rows}
            backup = None
            try:
                backup = self._backup_current()
                data = self.storage.write_packed({TABLE: table}, extra={"meta": meta})
            except BaseException:
                # Nothing was committed: the link holds the current data, not an older one.
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            # After the store's rename: a kill in between leaves an index whose header no longer
            # matches the file, which the next open notices and rebuilds.
            self._write_index(data, rows)
            self._prune_backups()
        self.reload()

    def _next_sequence(self) -> int:
        numbers = [int(m.group(1)) for p in self.backup_dir.glob("*-*.json") if (m := _SEQUENCED.match(p.name))]
        return max(numbers, default=0) + 1

    def _backup_current(self) -> Path | None:
        if not self.path.exists():
            return None
        self.backup_dir.mkdir(exist_ok=True)
        backup = self.backup_dir / f"residents-{self._next_sequence():09d}.json"
        # A hard link costs nothing: every write replaces the file by rename, never in place.
        os.link(self.path, backup)
        try:
            fsync_dir(self.backup_dir)
        except BaseException:
            backup.unlink(missing_ok=True)
            raise
        return backup

    def _is_current(self, path: Path) -> bool:
        try:
            return path.stat().st_ino == self.path.stat().st_ino
        except FileNotFoundError:
            return False

    def _drop_unused_backups(self) -> None:
        """Remove links a killed commit or rollback left that are the current file itself."""
        if self.backup_dir.is_dir():
            for path in self.backup_dir.glob("residents-*.json"):
                if self._is_current(path):
                    path.unlink()

    def backups(self) -> list[Path]:
        """Backups that rollback can restore, newest first."""
        if not self.backup_dir.is_dir():
            return []
        found = [p for p in self.backup_dir.glob("residents-*.json") if not self._is_current(p)]
        return sorted(found, key=_order, reverse=True)

    def _prune_backups(self) -> None:
        for old in self.backups()[KEEP_BACKUPS:]:
            old.unlink()

    def rollback(self) -> Path:
        """Restore the newest backup. The data it replaces is kept in backups/undone-*.json."""
        with file_lock(self.lock_path):
            candidates = self.backups()
            if not candidates:
                raise NothingToRollBack()
            newest = candidates[0]
            # Check it opens before it replaces anything.
            try:
                PackedStorage(newest).read_packed()
            except StorageCorrupt:
                raise
            if self.path.exists():
                os.link(self.path, self.backup_dir / f"undone-{self._next_sequence():09d}.json")
            tmp = self.home / f".{self.FILENAME}.rollback.tmp"
            if tmp.exists():
                tmp.unlink()
            os.link(newest, tmp)
            os.replace(tmp, self.path)
            fsync_dir(self.home)
            newest.unlink()
            fsync_dir(self.backup_dir)
            for undone in sorted(self.backup_dir.glob("undone-*.json"), key=_order, reverse=True)[KEEP_BACKUPS:]:
                undone.unlink()
        self.reload()
        return newest
