"""The resident's session at the kiosk, with no Kivy: the UI only shows what this decides.

    choose letter → NIK (16 digits, checked) → second factor (PIN by default; e-KTP tag or, knowingly,
    birth date where configured; a print code where the letter type asks for more) → "is this you?" →
    the letter's fields → preview → print → done

Why it lives here and not in the screens: the same rules (lockout, rate limit, wiping) must hold for
the touch UI, the tour driver and the tests, and must be testable without a display.

Checking the second factor, the lockout and the pacing of guesses live in appliance/identity (issue 12):
the session only asks identity.Identity and keeps what it answered.

An unknown NIK is not reported as unknown: it goes on to the second factor and fails there like a wrong
birth date, so the kiosk cannot be used to find out who lives in the village.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from appliance.identity.codes import CODE_DIGITS  # noqa: F401 - the keypad's length for a print code
from appliance.identity.factors import DEFAULT_FACTOR, VILLAGE_FACTORS, uses_pin  # noqa: F401 - uses_pin: "Ganti PIN"
from appliance.identity.guard import GUARD_DEFAULTS, GUARD_FILE, Block, VerificationGuard  # noqa: F401
from appliance.identity.keys import SECRET_FILE, nik_key, unit_secret  # noqa: F401
from appliance.identity.pins import RESIDENT_PINS_FILE, ResidentPins  # noqa: F401
from appliance.identity.service import Identified, Identity
from appliance.residents.nik import NumberError, decode_nik, parse_nik
from appliance.residents.nik import mask as mask_nik

if TYPE_CHECKING:
    from appliance.letters.catalog import Field, Template

DEFAULTS: dict[str, Any] = {
    # "pin" (default: PINs registered at the office), "tag" (e-KTP reader fitted) or "birth_date" (weak: it
    # is printed inside the NIK; only for a village that chooses it knowingly). See appliance/identity.
    "second_factor": DEFAULT_FACTOR,
    "idle_timeout_s": 60,
    "idle_warning_s": 20,  # WCAG 2.2.1: at least 20 s to say "still here"
    "done_return_s": 12,
    **GUARD_DEFAULTS,
}

FACTORS = VILLAGE_FACTORS


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


# Internal, not a SemenitError: a caller's bug (a step out of order), never shown as a message.
class SessionError(Exception):
    """A step was asked for out of order (a bug in the caller, never a resident's mistake)."""



def check_nik(digits: str) -> str | None:
    """None when `digits` can be a NIK, else the catalog key of the reason (shown in plain words).

    The NIK rules are the residents' (appliance.residents.nik): 16 digits, an area code, and a birth date
    DDMMYY (day + 40 for women) that exists."""
    try:
        nik = parse_nik(digits)
    except NumberError:
        return "ui.nik.error_length"
    if nik is None:
        return "ui.nik.error_length"
    if nik.startswith("00") or decode_nik(nik).birth_date is None:
        return "ui.nik.error_invalid"
    return None


def localized(obj: Template | Field, name: str, lang: str) -> str:
    """A template's or field's text in `lang`. Letters hold each text twice, `x` (Bahasa Indonesia) and
    `x_en` (English), checked at load (appliance.letters.catalog); the attribute is named from the language
    on purpose (a deliberate getattr), with the Indonesian text where the English one is empty."""
    value = getattr(obj, name)
    if lang != "id":
        other = getattr(obj, f"{name}_{lang}")
        if other:
            return str(other)
    return "" if value is None else str(value)


# --- letters shown most-used first ----------------------------------------------------------------------

# The letters the kiosk offers, most requested first, in a fixed order the village sets with
# `[ui] letters = ["DOMISILI", ...]`: a resident who found "the one with the house" top left last month
# finds it there again (usage never reorders it). By default the eight asked for most: one screen at
# 1280×800, two at 800×480. The others (births, deaths, events, …) need an officer's questions anyway;
# a village that wants them at the kiosk lists them, and they take more pages.
DEFAULT_LETTER_ORDER = ("PENGANTAR", "DOMISILI", "SKTM", "USAHA", "SKCK", "PENDUDUK", "BELUM_MENIKAH", "KEHILANGAN")


def kiosk_letters(templates: dict, order: list[str] | tuple[str, ...] | None = None) -> list:
    """The letters the kiosk offers, in the village's fixed order (the codes it lists that exist)."""
    listed = [templates[c] for c in (order or DEFAULT_LETTER_ORDER) if c in templates]
    # A village whose catalog has none of the listed codes (its own templates) still offers its letters.
    return listed or list(templates.values())


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
    identified: Identified | None = None
    # NIKs reported dead here, read once per resident session (eligibility and the family choices both
    # ask); LetterService.issue checks again at the moment of issue, so a death reported meanwhile holds.
    reported_dead: set[str] | None = None


class KioskSession:
    """One resident at a time. `wipe()` forgets everything; the screens keep nothing of their own."""

    def __init__(self, store, catalog, guard: VerificationGuard, factor: str = DEFAULT_FACTOR,
                 pins: ResidentPins | None = None, today=date.today, identity: Identity | None = None):
        self.store = store
        self.catalog = catalog
        self.guard = guard
        self.identity = identity or Identity(store, guard, factor, pins)
        self.today = today
        self.s = _State()

    @property
    def factor(self) -> str:
        """What the verify step asks for: the village's factor, or a print code where the chosen letter
        type asks for more than that."""
        return self.identity.factor_for(self.s.letter) if self.s.letter is not None else self.identity.factor

    @property
    def identified(self) -> dict | None:
        """How the resident proved who they are, for the register entry (LetterService.issue(identified=))."""
        return self.s.identified.as_entry() if self.s.identified is not None and self.s.identified.ok else None

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
    def _identify(self, method: str, answer) -> VerifyResult:
        self._expect(Step.VERIFY)
        s = self.s
        result = self.identity.identify(s.nik, method, answer, s.letter)
        if not result.ok:
            if result.block:
                s.block = result.block
                s.step = Step.LOCKED
            return VerifyResult(False, result.block)
        s.identified = result
        s.resident = result.resident
        s.step = Step.CONFIRM
        return VerifyResult(True)

    def verify_birth_date(self, born: date) -> VerifyResult:
        return self._identify("birth_date", born)

    def verify_pin(self, pin: str) -> VerifyResult:
        return self._identify("pin", pin)

    def verify_tag(self, tag: str) -> VerifyResult:
        return self._identify("tag", tag)

    def verify_code(self, code: str) -> VerifyResult:
        """A one-time print code an officer gave for this NIK and this letter type."""
        return self._identify("code", code)

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
        reasons = list(self.s.letter.check_eligibility(self.s.resident, self.store, self.today(),
                                                       self._reported_dead()) or [])
        if reasons:
            self.s.reasons = reasons
            self.s.step = Step.INELIGIBLE
            return reasons
        self.s.fields = {}
        self.s.field_index = 0
        self.s.step = Step.FIELDS if self.letter_fields() else Step.PREVIEW
        return []

    # Fields, one at a time (choices first; free text only where the letter needs it).
    def letter_fields(self) -> list[Field]:
        return list(self.s.letter.fields) if self.s.letter is not None else []

    def field_choices(self, spec: Field) -> list[tuple[str, str]]:
        """(value, text) a field may take: its own choices, or the resident's family for a family member."""
        if spec.type == "family_member":
            if self.s.letter is None or self.s.resident is None:
                return []
            return list(self.s.letter.family_choices(self.s.resident, self.store, spec, self.today(),
                                                     self._reported_dead()))
        return [(str(choice), str(choice)) for choice in spec.choices]

    def _reported_dead(self) -> set[str]:
        """NIKs a Kematian letter reported dead here, until an import settles them: no further letters.
        Read from disk once per session (wipe() forgets it)."""
        s = self.s
        if s.reported_dead is None:
            from appliance.letters.deaths import blocked_niks

            s.reported_dead = blocked_niks(self.store.home, self.store)
        return s.reported_dead

    def is_extra_field(self, spec: Field | None) -> bool:
        """An optional free-text field ("Keterangan tambahan"): not a step of its own, but offered on the
        preview ("Tambah keterangan"). Most residents have nothing to add, and a keyboard is the slowest
        thing on the kiosk for them (issue 15). The type first: a family member's choices cost a look-up."""
        if spec is None or spec.required or spec.type == "family_member":
            return False
        return not spec.choices

    def current_field(self) -> Field | None:
        fields = self.letter_fields()
        return fields[self.s.field_index] if self.s.step == Step.FIELDS and self.s.field_index < len(fields) else None

    def set_field(self, value: str | None) -> None:
        """Answer the current field (None skips an optional one) and move on."""
        self._expect(Step.FIELDS)
        spec = self.current_field()
        if spec is None:
            raise SessionError("no field to answer")
        name = spec.name
        if value is None or str(value).strip() == "":
            if spec.required:
                raise SessionError(f"field {name} is required")
            self.s.fields.pop(name, None)
        else:
            value = str(value).strip()
            limit = spec.max_length
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
            self.s.fields.pop(self.letter_fields()[self.s.field_index].name, None)
        elif st in (Step.FIELDS, Step.PREVIEW) and self.s.resident is not None:
            if st == Step.PREVIEW and self.letter_fields():
                self.s.field_index = len(self.letter_fields()) - 1
                self.s.fields.pop(self.letter_fields()[-1].name, None)
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

    def issued_as(self, issued) -> None:
        """The letter has its number (its jobs may still be printing)."""
        self._expect(Step.PRINTING)
        self.s.issued = issued

    def printed(self, issued) -> None:
        self._expect(Step.PRINTING)
        self.s.issued = issued
        self.s.step = Step.DONE

    @property
    def nik(self) -> str:
        """The full NIK, for the letter service only (never shown, never logged)."""
        return self.s.nik

