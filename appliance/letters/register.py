"""The letter register (Buku Agenda): append-only, chained with the unit's secret key, fsynced on every append.

One JSON object per line in `home/letters/register.jsonl`:

    {"i": 7, "prev": "<mac of entry 6>", "at": "2026-11-28T09:14:03+07:00", "event": "issued",
     "number": "470/012/TRJ/XI/2026", ..., "hash": "<HMAC-SHA256 of this entry without 'hash'>"}

Events: issued (type, resident, fields, snapshot of what was printed, how the resident identified),
printed / failed (a print job's outcome), reprinted, voided (with reason).

Why keyed: a plain hash chain can be recomputed by anyone who edits the file, so it proves nothing. Each
entry's "hash" is an HMAC with a per-unit secret (`keys/register-hmac.key`, 0600) that never leaves the
unit. `verify()` checks every entry's MAC and link and names any entry that was edited, removed,
duplicated or moved. A signed head (count, last MAC, Ed25519 signature by the village key) is checked
against the chain whatever the counts, which catches entries cut off the end. Against someone who holds
the unit's keys too, the anchor: a short code of the chain head (`anchor()`) printed on paper every day
for the secretary to sign and file; `verify(anchors=…)` names the entries missing or changed since.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import orjson

from appliance.letters import signing
from appliance.storage.atomic import atomic_write, fsync_dir
from appliance.storage.locks import file_lock

log = logging.getLogger(__name__)

GENESIS = "0" * 64
EVENTS = ("issued", "printed", "failed", "reprinted", "voided")
_OPTS = orjson.OPT_SORT_KEYS
MAC_KEY_NAME = "register-hmac.key"
ANCHORS_NAME = "register.anchors.jsonl"


def mac_key(home: Path) -> bytes:
    """The unit's register key (32 random bytes, 0600), created on first use; safe when processes race."""
    folder = signing.key_dir(home)
    path = folder / MAC_KEY_NAME
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with file_lock(folder / ".keys.lock"):
        if not path.exists() or len(path.read_bytes()) != 32:
            atomic_write(path, os.urandom(32), mode=0o600)
        return path.read_bytes()


def entry_hash(entry: dict, key: bytes) -> str:
    """The entry's MAC: HMAC-SHA256 with the unit's register key over the entry without 'hash'."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hmac.new(key, orjson.dumps(body, option=_OPTS), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """The chain head as printed on paper: `count` entries, the last one's MAC shortened to `code`."""

    count: int
    code: str  # XXXX-XXXX-XXXX (base32, 60 bits)

    @property
    def text(self) -> str:
        return f"{self.count}-{self.code}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """'128-ABCD-EFGH-IJKL' as typed from the paper (spaces and case forgiven). Raises ValueError."""
        cleaned = "-".join(text.strip().upper().split())
        count, _sep, code = cleaned.partition("-")
        # Base32 has no 0, 1 or 8: read from paper they can only be O, I and B.
        code = code.replace("-", "").translate(_MISREAD)
        if not count.isdigit() or len(code) != 12 or not set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"):
            raise ValueError(text)
        return cls(int(count), "-".join(code[i:i + 4] for i in range(0, 12, 4)))


_MISREAD = str.maketrans("018", "OIB")


def anchor_code(key: bytes, count: int, last_mac: str) -> str:
    raw = hmac.new(key, f"anchor|{count}|{last_mac}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(raw).decode()[:12]
    return "-".join(code[i:i + 4] for i in range(0, 12, 4))


@dataclass
class Problem:
    kind: str  # edited | removed | reordered | duplicated | unreadable | truncated | head | anchor
    line: int | None  # line in the file (1-based), when there is one
    index: int | None  # the entry's position in the chain
    number: str = ""  # the letter number it concerns, when known
    detail: str = ""


@dataclass
class VerifyReport:
    count: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LetterRecord:
    """A letter as the register knows it, folded from its events."""

    number: str
    code: str
    title: str
    nik: str
    nama: str
    fields: dict
    day: str
    at: str
    qr: str
    snapshot: dict
    status: str = "issued"  # issued | printed | failed | voided
    reprints: int = 0
    void_reason: str = ""
    events: list[dict] = field(default_factory=list)


class Register:
    def __init__(self, home: Path):
        self.home = Path(home)
        self.folder = self.home / "letters"
        self.path = self.folder / "register.jsonl"
        self.head_path = self.folder / "register.head"
        self.lock_path = self.folder / "register.lock"
        self.anchors_path = self.folder / ANCHORS_NAME
        self._cache: tuple | None = None
        self._key = None
        self._mac_key: bytes | None = None

    @property
    def mac_key(self) -> bytes:
        if self._mac_key is None:
            self._mac_key = mac_key(self.home)
        return self._mac_key

    def lock(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return file_lock(self.lock_path)

    # --- writing --------------------------------------------------------------------------------

    def _tail(self, fd: int) -> tuple[int, str]:
        """(next index, hash of the last entry), cutting off a line torn by a power cut mid-append."""
        size = os.fstat(fd).st_size
        if size == 0:
            return 0, GENESIS
        chunk = 65536
        while True:
            start = max(0, size - chunk)
            data = os.pread(fd, size - start, start)
            if not data.endswith(b"\n"):
                cut = data.rfind(b"\n")
                if cut < 0 and start > 0:
                    chunk *= 4
                    continue
                # An append never completed (it was never acknowledged): drop the torn bytes.
                os.ftruncate(fd, start + cut + 1 if cut >= 0 else 0)
                os.fsync(fd)
                return self._tail(fd)
            lines = data[:-1].rsplit(b"\n", 1)
            if len(lines) == 1 and start > 0:
                chunk *= 4
                continue
            try:
                last = orjson.loads(lines[-1])
                return int(last["i"]) + 1, str(last["hash"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                self._set_aside_damaged_tail(fd, size - len(lines[-1]) - 1)
                return self._tail(fd)

    def _set_aside_damaged_tail(self, fd: int, start: int) -> None:
        """A whole last line that is not an entry (a disk fault, an edit) would stop every letter: its
        bytes are kept in `register.damaged-N` and cut off, the chain goes on from the entry before
        (which `verify` still checks against the signed head)."""
        size = os.fstat(fd).st_size
        n = 1
        while (aside := self.folder / f"register.damaged-{n}").exists():
            n += 1
        atomic_write(aside, os.pread(fd, size - start, start), mode=0o600)
        os.ftruncate(fd, start)
        os.fsync(fd)
        from appliance.i18n import _

        log.warning(_("storage.register_tail_set_aside", aside=aside.name))

    def append_locked(self, event: str, number: str, **data) -> dict:
        """Append one entry; the caller holds `self.lock()`. Durable (fsync) before returning."""
        if event not in EVENTS:
            raise ValueError(event)
        self.folder.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            index, prev = self._tail(fd)
            entry = {"i": index, "prev": prev, "at": data.pop("at", None) or datetime.now().astimezone()
                     .isoformat(timespec="seconds"), "event": event, "number": number, **data}
            entry["hash"] = entry_hash(entry, self.mac_key)
            line = orjson.dumps(entry, option=_OPTS) + b"\n"
            size = os.fstat(fd).st_size
            try:
                # A full disk may take part of the line (a short write) or none of it: either way the
                # append fails and the register is cut back to where it was, still whole.
                if os.write(fd, line) != len(line):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
                os.fsync(fd)
            except OSError:
                try:
                    os.ftruncate(fd, size)
                except OSError:
                    pass
                raise
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.folder)
        self._write_head(index + 1, entry["hash"])
        return entry

    def append(self, event: str, number: str, **data) -> dict:
        with self.lock():
            return self.append_locked(event, number, **data)

    def _write_head(self, count: int, last: str) -> None:
        if self._key is None:
            self._key = signing.ensure_keypair(self.home)[0]
        key = self._key
        body = f"{count}|{last}"
        head = {"count": count, "hash": last, "sig": key.sign(body.encode()).hex()}
        # Whole on disk before the rename (never a torn head), but the folder is not fsynced: after a power
        # cut the head may be the previous one, which verify() accepts as it accepts a kill between the
        # append and this write (the head behind the chain; the entries after it carry valid MACs).
        atomic_write(self.head_path, orjson.dumps(head), mode=0o600, fsync_folder=False)

    # --- reading --------------------------------------------------------------------------------

    def _lines(self, offset: int = 0) -> list[bytes]:
        try:
            with self.path.open("rb") as fh:
                fh.seek(offset)
                data = fh.read()
        except FileNotFoundError:
            return []
        return data.splitlines()

    def entries(self, offset: int = 0) -> list[dict]:
        """The entries, or those starting at byte `offset` (an entry boundary) and after."""
        out = []
        for raw in self._lines(offset):
            try:
                out.append(orjson.loads(raw))
            except orjson.JSONDecodeError:
                continue
        return out

    def letters(self) -> dict[str, LetterRecord]:
        """Every letter number -> its record (cached until the file changes)."""
        try:
            stat = self.path.stat()
            key = (stat.st_size, stat.st_mtime_ns)
        except FileNotFoundError:
            return {}
        if self._cache and self._cache[0] == key:
            return self._cache[1]
        records: dict[str, LetterRecord] = {}
        for entry in self.entries():
            number = entry.get("number", "")
            event = entry.get("event")
            if event == "issued":
                records[number] = LetterRecord(
                    number=number, code=entry.get("code", ""), title=entry.get("title", ""),
                    nik=entry.get("nik", ""), nama=entry.get("nama", ""), fields=entry.get("fields", {}),
                    day=entry.get("day", ""), at=entry.get("at", ""), qr=entry.get("qr", ""),
                    snapshot=entry.get("snapshot", {}), events=[entry])
                continue
            record = records.get(number)
            if record is None:
                continue
            record.events.append(entry)
            if event == "voided":
                record.status = "voided"
                record.void_reason = entry.get("reason", "")
            elif record.status != "voided":
                if event == "reprinted":
                    record.reprints += 1
                elif event in ("printed", "failed"):
                    record.status = event
        self._cache = (key, records)
        return records

    def get(self, number: str) -> LetterRecord | None:
        return self.letters().get(number)

    def issued_on(self, day: str) -> list[LetterRecord]:
        """The letters issued on `day` (ISO date), in the order their numbers were taken."""
        return [record for record in self.letters().values() if record.day == day]

    # --- the paper anchor -----------------------------------------------------------------------

    def head_anchor(self) -> Anchor:
        """The chain head as it is now, as a short code (nothing noted)."""
        with self.lock():
            entries = self.entries()
        last = entries[-1]["hash"] if entries else GENESIS
        return Anchor(len(entries), anchor_code(self.mac_key, len(entries), last))

    def note_anchor(self, anchor: Anchor, day: str = "", **where: str) -> None:
        """Note a code given out (on paper: `where` says the printer and job), so `verify` checks it even
        when nobody types it back."""
        self.folder.mkdir(parents=True, exist_ok=True)
        note = {"count": anchor.count, "code": anchor.code, "day": day, **{k: v for k, v in where.items() if v}}
        with self.lock(), self.anchors_path.open("ab") as fh:
            fh.write(orjson.dumps(note) + b"\n")
            fh.flush()
            os.fsync(fh.fileno())

    def anchor(self, day: str = "") -> Anchor:
        """Today's code of the chain head, noted. Plain data: the daily summary prints it
        (appliance.services.day_summary), the CSV summary and `semenit register anchor` show it."""
        anchor = self.head_anchor()
        self.note_anchor(anchor, day)
        return anchor

    def anchor_notes(self) -> list[dict]:
        """Every code given out, oldest first: count, code, day, and the printer and job when on paper."""
        out = []
        try:
            raw = self.anchors_path.read_bytes().splitlines()
        except FileNotFoundError:
            return out
        for line in raw:
            try:
                item = orjson.loads(line)
                item["count"], item["code"] = int(item["count"]), str(item["code"])
                out.append(item)
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
        return out

    def recorded_anchors(self) -> list[Anchor]:
        return [Anchor(note["count"], note["code"]) for note in self.anchor_notes()]

    # --- checking -------------------------------------------------------------------------------

    def verify(self, anchors: list[Anchor] | None = None) -> VerifyReport:
        """Every entry's MAC and link, the signed head, and the paper anchors (given, and those noted
        when printed). Each problem names the entry."""
        key = self.mac_key
        lines = self._lines()
        problems: list[Problem] = []
        parsed: list[tuple[int, dict]] = []  # (line number, entry)
        for line_no, raw in enumerate(lines, start=1):
            try:
                entry = orjson.loads(raw)
                if not isinstance(entry, dict) or not isinstance(entry.get("i"), int):
                    raise ValueError
            except (orjson.JSONDecodeError, ValueError):
                problems.append(Problem("unreadable", line_no, None))
                continue
            parsed.append((line_no, entry))
            if not hmac.compare_digest(str(entry.get("hash", "")), entry_hash(entry, key)):
                problems.append(Problem("edited", line_no, entry["i"], str(entry.get("number", ""))))
        edited = {p.index for p in problems if p.kind == "edited"}
        by_index: dict[int, tuple[int, dict]] = {}
        for line_no, entry in parsed:
            if entry["i"] in by_index:
                problems.append(Problem("duplicated", line_no, entry["i"], str(entry.get("number", ""))))
            else:
                by_index[entry["i"]] = (line_no, entry)
        # Moved entries: positions where the chain index goes backwards.
        previous = -1
        for line_no, entry in parsed:
            if entry["i"] < previous:
                problems.append(Problem("reordered", line_no, entry["i"], str(entry.get("number", ""))))
            previous = max(previous, entry["i"])
        top = max(by_index, default=-1)
        for index in range(top + 1):
            if index not in by_index:
                before = by_index.get(index - 1, (None, {}))[1].get("number", "")
                after = by_index.get(index + 1, (None, {}))[1].get("number", "")
                problems.append(Problem("removed", None, index, "", f"{before} .. {after}"))
        # Links: each entry must carry its predecessor's MAC (an entry copied from elsewhere has its own).
        for index, (_line, entry) in sorted(by_index.items()):
            expected = GENESIS if index == 0 else by_index.get(index - 1, (None, {}))[1].get("hash")
            if expected is None or index - 1 in edited or index in edited:
                continue
            if entry.get("prev") != expected and index - 1 in by_index:
                prev_line, prev_entry = by_index[index - 1]
                problems.append(Problem("edited", prev_line, index - 1, str(prev_entry.get("number", "")),
                                        "link"))
        problems.extend(self._check_head(by_index, top + 1, bool(parsed)))
        for anchor in [*(anchors or []), *self.recorded_anchors()]:
            problems.extend(self._check_anchor(anchor, by_index, top + 1))
        unique: list[Problem] = []
        for problem in problems:
            if problem not in unique:
                unique.append(problem)
        unique.sort(key=lambda p: (p.line or 0, p.index or 0))
        return VerifyReport(len(parsed), unique)

    def _check_head(self, by_index: dict, chain_length: int, any_entry: bool) -> list[Problem]:
        try:
            head = orjson.loads(self.head_path.read_bytes())
        except FileNotFoundError:
            return [Problem("head", None, None, "", "missing")] if any_entry else []
        except orjson.JSONDecodeError:
            return [Problem("head", None, None, "", "unreadable")]
        public = signing.load_public(self.home)
        try:
            if public is None:
                raise ValueError
            count, last = int(head["count"]), str(head["hash"])
            public.verify(bytes.fromhex(head["sig"]), f"{count}|{last}".encode())
        except Exception:  # noqa: BLE001 - any failure means the head cannot be trusted
            return [Problem("head", None, None, "", "signature")]
        if count > chain_length:
            return [Problem("truncated", None, chain_length, "", str(count - chain_length))]
        # Whatever the counts: the entry the head names must be the one in the chain. (A head behind the
        # chain is a kill between an append and its head write; the entries after it carry valid MACs.)
        if count and (count - 1 not in by_index or by_index[count - 1][1].get("hash") != last):
            line, entry = by_index.get(count - 1, (None, {}))
            return [Problem("edited", line, count - 1, str(entry.get("number", "")), "head")]
        return []

    def _check_anchor(self, anchor: Anchor, by_index: dict, chain_length: int) -> list[Problem]:
        if anchor.count > chain_length:
            return [Problem("truncated", None, chain_length, "", str(anchor.count - chain_length))]
        last = GENESIS if anchor.count == 0 else by_index.get(anchor.count - 1, (None, {}))[1].get("hash", "")
        if not hmac.compare_digest(anchor_code(self.mac_key, anchor.count, last), anchor.code):
            line, entry = by_index.get(anchor.count - 1, (None, {}))
            return [Problem("anchor", line, anchor.count - 1, str(entry.get("number", "")), anchor.text)]
        return []


def anchor_lines(anchor: Anchor, day: str, secretary: str) -> list[str]:
    """The day's anchor as plain text lines (no printer codes), for `secretary` (a title: "Carik") to
    sign and file."""
    from appliance.i18n import _

    return [_("letters.register.anchor.title"), _("letters.register.anchor.day", day=day),
            _("letters.register.anchor.code", code=anchor.text),
            _("letters.register.anchor.sign", secretary=secretary)]
