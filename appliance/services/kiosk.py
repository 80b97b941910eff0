"""The resident's session at the kiosk, with no Kivy: the UI only shows what this decides.

    choose letter → NIK (16 digits, checked) → second factor (birth date; PIN or e-KTP tag where
    configured) → "is this you?" → the letter's fields → preview → print → done

Why it lives here and not in the screens: the same rules (lockout, rate limit, wiping) must hold for
the touch UI, the tour driver and the tests, and must be testable without a display.

Guessing is stopped twice (DESIGN §10, issue 7):
- five failed verifications for one NIK lock that NIK for 15 minutes, persisted in the data folder so a
  restart does not reset it (OpenSID's kiosk resets its lockout with a new session: we do not);
- a global rate limit: more than N failures across all NIKs within a window pauses verification for
  everyone until the window has room again (guessing across many NIKs is slowed down).
The lockout file never holds a NIK: entries are keyed by an HMAC of the NIK with a per-unit secret.

An unknown NIK is not reported as unknown: it goes on to the second factor and fails there like a wrong
birth date, so the kiosk cannot be used to find out who lives in the village.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from appliance.residents.nik import mask as mask_nik
from appliance.storage.atomic import atomic_write
from appliance.storage.document import locked_document

DEFAULTS: dict[str, Any] = {
    # "birth_date" (default), "pin" (the village issues resident PINs) or "tag" (e-KTP reader fitted).
    "second_factor": "birth_date",
    "idle_timeout_s": 60,
    "idle_warning_s": 20,  # WCAG 2.2.1: at least 20 s to say "still here"
    "done_return_s": 12,
    "lockout_attempts": 5,
    "lockout_minutes": 15,
    "global_max_failures": 20,
    "global_window_s": 600,
}

FACTORS = ("birth_date", "pin", "tag")
GUARD_FILE = "kiosk_guard.json"
SECRET_FILE = "kiosk_secret.bin"
USAGE_FILE = "kiosk_usage.json"
RESIDENT_PINS_FILE = "resident_pins.json"


class Step(StrEnum):
    HOME = "home"
    LETTER = "letter"
    NIK = "nik"
    VERIFY = "verify"
    CONFIRM = "confirm"
    FIELDS = "fields"
    PREVIEW = "preview"
    PRINTING = "printing"
    DONE = "done"
    INELIGIBLE = "ineligible"
    LOCKED = "locked"


class SessionError(Exception):
    """A step was asked for out of order (a bug in the caller, never a resident's mistake)."""



def check_nik(digits: str) -> str | None:
    """None when `digits` can be a NIK, else the catalog key of the reason (shown in plain words).

    16 digits; a province/regency/district code; a birth date DDMMYY with day+40 for women."""
    if len(digits) != 16 or not digits.isdigit():
        return "ui.nik.error_length"
    if digits[:6] == "000000" or digits[:2] == "00":
        return "ui.nik.error_invalid"
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return "ui.nik.error_invalid"
    return None


def localized(obj: Any, name: str, lang: str) -> str:
    """A template's or field's text in `lang`: `x`/`x_en` attributes, or a {"id":…, "en":…} table."""
    value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or next(iter(value.values()), ""))
    if lang != "id":
        other = obj.get(f"{name}_{lang}") if isinstance(obj, dict) else getattr(obj, f"{name}_{lang}", None)
        if other:
            return str(other)
    return "" if value is None else str(value)


# --- secrets and guessing ---------------------------------------------------------------------------

def unit_secret(home: Path) -> bytes:
    """A random per-unit key (0600) that turns NIKs into opaque lockout keys."""
    path = Path(home) / SECRET_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = os.urandom(32)
    atomic_write(path, data, mode=0o600)
    return data


def nik_key(secret: bytes, nik: str) -> str:
    return hmac.new(secret, nik.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Block:
    """Verification refused for now. `reason` is "nik_locked" or "rate_limited"."""

    reason: str
    retry_after_s: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after_s // 60))


class VerificationGuard:
    """Counts failed verifications per NIK (persisted) and across all NIKs (the global rate limit)."""

    def __init__(self, home: Path, settings_section: dict | None = None, clock=time.time):
        conf = {**DEFAULTS, **(settings_section or {})}
        self.path = Path(home) / GUARD_FILE
        self.attempts = int(conf["lockout_attempts"])
        self.lock_s = int(conf["lockout_minutes"]) * 60
        self.global_max = int(conf["global_max_failures"])
        self.global_window = int(conf["global_window_s"])
        self.clock = clock
        self._secret = unit_secret(home)

    def _global_block(self, doc: dict, now: float) -> Block | None:
        recent = [t for t in doc.get("global", []) if now - self.global_window < t <= now]
        doc["global"] = recent
        if len(recent) >= self.global_max:
            wait = recent[len(recent) - self.global_max] + self.global_window - now
            return Block("rate_limited", max(1, int(wait + 0.999)))
        return None

    def _nik_block(self, entry: dict | None, now: float) -> Block | None:
        if not entry:
            return None
        until = float(entry.get("locked_until", 0))
        if until > now:
            # A clock set back must not stretch the lock beyond its length.
            return Block("nik_locked", max(1, int(min(until - now, self.lock_s) + 0.999)))
        return None

    def check(self, nik: str) -> Block | None:
        now = self.clock()
        with locked_document(self.path) as doc:
            return self._nik_block(doc.get("nik", {}).get(nik_key(self._secret, nik)), now) or self._global_block(
                doc, now
            )

    def failure(self, nik: str) -> Block | None:
        """Record one failed verification; the block it causes, if any."""
        now = self.clock()
        key = nik_key(self._secret, nik)
        with locked_document(self.path) as doc:
            niks = doc.setdefault("nik", {})
            entry = niks.setdefault(key, {"fails": 0, "locked_until": 0})
            entry["fails"] = int(entry.get("fails", 0)) + 1
            entry["last"] = now
            doc.setdefault("global", []).append(now)
            if entry["fails"] >= self.attempts:
                entry["fails"] = 0
                entry["locked_until"] = now + self.lock_s
            self._prune(niks, now)
            return self._nik_block(entry, now) or self._global_block(doc, now)

    def tries_left(self, nik: str) -> int:
        """Failed verifications this NIK may still have before it is locked (told to the resident)."""
        with locked_document(self.path) as doc:
            entry = doc.get("nik", {}).get(nik_key(self._secret, nik)) or {}
            return max(0, self.attempts - int(entry.get("fails", 0)))

    def success(self, nik: str) -> None:
        key = nik_key(self._secret, nik)
        with locked_document(self.path) as doc:
            niks = doc.get("nik", {})
            if key in niks and float(niks[key].get("locked_until", 0)) <= self.clock():
                del niks[key]

    def _prune(self, niks: dict, now: float) -> None:
        # Forget failures a day old that lock nothing, so the file stays small.
        for key in [k for k, e in niks.items() if e.get("locked_until", 0) <= now and now - e.get("last", 0) > 86400]:
            del niks[key]


# --- resident PINs (where the village issues them) ----------------------------------------------------

class ResidentPins:
    """Argon2 hashes of resident PINs, keyed like the lockout (no NIK in the file)."""

    def __init__(self, home: Path):
        self.path = Path(home) / RESIDENT_PINS_FILE
        self._secret = unit_secret(home)

    def set(self, nik: str, pin: str) -> None:
        from appliance.services.operator import hash_secret

        digest = hash_secret(pin)
        with locked_document(self.path) as doc:
            doc[nik_key(self._secret, nik)] = digest

    def verify(self, nik: str, pin: str) -> bool:
        from appliance.services.operator import verify_secret

        with locked_document(self.path) as doc:
            digest = doc.get(nik_key(self._secret, nik))
        return bool(digest) and verify_secret(digest, pin)


# --- letters shown most-used first ----------------------------------------------------------------------

class LetterUsage:
    """How often each letter was printed; `order` reads a copy in memory (no disk on the UI thread)."""

    def __init__(self, home: Path):
        self.path = Path(home) / USAGE_FILE
        self._counts: dict | None = None

    def counts(self) -> dict:
        if self._counts is None:
            with locked_document(self.path) as doc:
                self._counts = dict(doc)
        return self._counts

    def order(self, templates: list) -> list:
        counts = self.counts()
        return sorted(templates, key=lambda t: (-int(counts.get(t.code, 0)), str(t.title)))

    def bump(self, code: str) -> None:
        with locked_document(self.path) as doc:
            doc[code] = int(doc.get(code, 0)) + 1
            self._counts = dict(doc)


# --- the session ------------------------------------------------------------------------------------------

@dataclass
class VerifyResult:
    ok: bool
    block: Block | None = None


@dataclass
class _State:
    step: Step = Step.HOME
    letter: Any = None
    nik: str = ""
    resident: Any = None
    fields: dict = field(default_factory=dict)
    field_index: int = 0
    reasons: list = field(default_factory=list)
    block: Block | None = None
    issued: Any = None


class KioskSession:
    """One resident at a time. `wipe()` forgets everything; the screens keep nothing of their own."""

    def __init__(self, store, catalog, guard: VerificationGuard, factor: str = "birth_date",
                 pins: ResidentPins | None = None, today=date.today):
        if factor not in FACTORS:
            raise ValueError(f"unknown second factor {factor!r}; choose one of {', '.join(FACTORS)}")
        self.store = store
        self.catalog = catalog
        self.guard = guard
        self.factor = factor
        self.pins = pins
        self.today = today
        self.s = _State()

    # Read-only views for the screens.
    step = property(lambda self: self.s.step)
    letter = property(lambda self: self.s.letter)
    resident = property(lambda self: self.s.resident)
    fields = property(lambda self: dict(self.s.fields))
    reasons = property(lambda self: list(self.s.reasons))
    block = property(lambda self: self.s.block)
    issued = property(lambda self: self.s.issued)

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.s.nik) if self.s.nik else ""

    def wipe(self) -> None:
        """Forget the resident: NIK, who they are, what they typed, what was printed."""
        self.s = _State()

    def _expect(self, *steps: Step) -> None:
        if self.s.step not in steps:
            raise SessionError(f"not allowed at step {self.s.step}")

    def start(self) -> None:
        self.wipe()
        self.s.step = Step.LETTER

    def choose_letter(self, code: str) -> None:
        self._expect(Step.LETTER)
        self.s.letter = self.catalog.templates[code]
        self.s.step = Step.NIK

    def enter_nik(self, digits: str) -> str | None:
        """None and on to the second factor, or the catalog key of why not (length, invalid, locked)."""
        self._expect(Step.NIK)
        s = self.s
        problem = check_nik(digits)
        if problem:
            return problem
        block = self.guard.check(digits)
        if block:
            s.block = block
            s.step = Step.LOCKED
            return "ui.locked.title"
        s.nik = digits
        s.step = Step.VERIFY
        return None

    # Verification may run in a worker thread: each step works on the state it started with, so a
    # session wiped meanwhile (idle timeout) is never given a resident afterwards.
    def _verified(self, s: _State, resident, ok: bool) -> VerifyResult:
        if not ok or resident is None:
            block = self.guard.failure(s.nik)
            if block:
                s.block = block
                s.step = Step.LOCKED
            return VerifyResult(False, block)
        self.guard.success(s.nik)
        s.resident = resident
        s.step = Step.CONFIRM
        return VerifyResult(True)

    def _precheck(self) -> tuple[_State, VerifyResult | None]:
        self._expect(Step.VERIFY)
        s = self.s
        block = self.guard.check(s.nik)
        if block:
            s.block = block
            s.step = Step.LOCKED
            return s, VerifyResult(False, block)
        return s, None

    def verify_birth_date(self, born: date) -> VerifyResult:
        s, refused = self._precheck()
        if refused:
            return refused
        resident = self.store.get(s.nik)
        return self._verified(s, resident, resident is not None and resident.birth_date == born)

    def verify_pin(self, pin: str) -> VerifyResult:
        s, refused = self._precheck()
        if refused:
            return refused
        resident = self.store.get(s.nik)
        ok = resident is not None and self.pins is not None and self.pins.verify(s.nik, pin)
        return self._verified(s, resident, ok)

    def verify_tag(self, tag: str) -> VerifyResult:
        s, refused = self._precheck()
        if refused:
            return refused
        resident = self.store.get(s.nik)
        tag = tag.strip()
        expected = str(getattr(resident, "tag_id_card", "") or "") if resident is not None else ""
        ok = bool(tag) and bool(expected) and hmac.compare_digest(tag.encode(), expected.encode())
        return self._verified(s, resident, ok)

    def not_me(self) -> None:
        """"Bukan saya": forget who was found, keep the letter, ask for the NIK again."""
        self._expect(Step.CONFIRM)
        letter = self.s.letter
        self.wipe()
        self.s.letter = letter
        self.s.step = Step.NIK

    def confirm(self) -> list[str]:
        """The resident confirmed; the eligibility reasons (empty = on to the fields or the preview)."""
        self._expect(Step.CONFIRM)
        reasons = list(self.s.letter.check_eligibility(self.s.resident, self.store, self.today()) or [])
        if reasons:
            self.s.reasons = reasons
            self.s.step = Step.INELIGIBLE
            return reasons
        self.s.fields = {}
        self.s.field_index = 0
        self.s.step = Step.FIELDS if self.letter_fields() else Step.PREVIEW
        return []

    # Fields, one at a time (choices first; free text only where the letter needs it).
    def letter_fields(self) -> list:
        return list(getattr(self.s.letter, "fields", None) or [])

    def current_field(self):
        fields = self.letter_fields()
        return fields[self.s.field_index] if self.s.step == Step.FIELDS and self.s.field_index < len(fields) else None

    def set_field(self, value: str | None) -> None:
        """Answer the current field (None skips an optional one) and move on."""
        self._expect(Step.FIELDS)
        spec = self.current_field()
        name = _attr(spec, "name")
        if value is None or str(value).strip() == "":
            if _attr(spec, "required", True):
                raise SessionError(f"field {name} is required")
            self.s.fields.pop(name, None)
        else:
            value = str(value).strip()
            limit = _attr(spec, "max_length")
            if limit:
                value = value[: int(limit)]
            self.s.fields[name] = value
        self.s.field_index += 1
        if self.s.field_index >= len(self.letter_fields()):
            self.s.step = Step.PREVIEW

    def back(self) -> None:
        """One step back, forgetting what that step had entered."""
        st = self.s.step
        if st == Step.FIELDS and self.s.field_index > 0:
            self.s.field_index -= 1
            self.s.fields.pop(_attr(self.current_field(), "name"), None)
        elif st in (Step.FIELDS, Step.PREVIEW) and self.s.resident is not None:
            if st == Step.PREVIEW and self.letter_fields():
                self.s.field_index = len(self.letter_fields()) - 1
                self.s.fields.pop(_attr(self.letter_fields()[-1], "name"), None)
                self.s.step = Step.FIELDS
            else:
                self.s.step = Step.CONFIRM
        elif st in (Step.VERIFY, Step.CONFIRM):
            self.s.nik, self.s.resident = "", None
            self.s.step = Step.NIK
        elif st == Step.NIK:
            self.s.letter = None
            self.s.step = Step.LETTER
        else:
            self.wipe()

    def printing(self) -> None:
        self._expect(Step.PREVIEW)
        self.s.step = Step.PRINTING

    def printed(self, issued) -> None:
        self._expect(Step.PRINTING)
        self.s.issued = issued
        self.s.step = Step.DONE

    @property
    def nik(self) -> str:
        """The full NIK, for the letter service only (never shown, never logged)."""
        return self.s.nik


def _attr(spec, name: str, default=None):
    if isinstance(spec, dict):
        return spec.get(name, default)
    return getattr(spec, name, default)
