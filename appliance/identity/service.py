"""identify(): the one check behind every second factor at the kiosk, the same work for every NIK.

Order: the guard (a locked NIK or the village-wide pacing refuses before any work), the resident (an unknown
NIK is not reported: it fails like a wrong answer), exactly one slow hash (the PIN's or print code's digest,
or the dummy for NIKs without one and for factors that need no hash), then the rules: the factor must be
one the village accepts and at least the letter type's `min_factor`. The result says which method and
strength identified the resident, for the register entry.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from appliance.identity.codes import PrintCodes
from appliance.identity.factors import DEFAULT_FACTOR, FACTORS, VILLAGE_FACTORS, accepted, factor_for
from appliance.identity.guard import Block, VerificationGuard
from appliance.identity.hasher import HASHER, SlowHasher
from appliance.identity.pins import ResidentPins
from appliance.services.operator import PinError, check_pin_format


@dataclass(frozen=True)
class Identified:
    ok: bool
    resident: object = None
    method: str = ""
    block: Block | None = None

    def as_entry(self) -> dict:
        """What the register keeps: the method and its strength (never the secret)."""
        return {"method": self.method, "strength": FACTORS[self.method].strength}


class Identity:
    def __init__(self, store, guard: VerificationGuard, factor: str = DEFAULT_FACTOR,
                 pins: ResidentPins | None = None, codes: PrintCodes | None = None, hasher: SlowHasher = HASHER):
        if factor not in VILLAGE_FACTORS:
            raise ValueError(f"unknown second factor {factor!r}; choose one of {', '.join(VILLAGE_FACTORS)}")
        self.store = store
        self.guard = guard
        self.factor = factor
        self.pins = pins
        self.codes = codes
        self.hasher = hasher
        hasher.warm()

    @classmethod
    def for_kiosk(cls, home: Path, store, guard: VerificationGuard, kiosk_conf: dict) -> Identity:
        factor = str(kiosk_conf.get("second_factor") or DEFAULT_FACTOR)
        return cls(store, guard, factor, ResidentPins(home), PrintCodes(home))

    def factor_for(self, letter) -> str:
        """What to ask for this letter type: the village's usual factor, or a print code."""
        return factor_for(self.factor, getattr(letter, "min_factor", None))

    def identify(self, nik: str, method: str, answer, letter=None) -> Identified:
        """Check `answer` for `method` (birth_date: a date; tag, pin, code: text) for `nik` and `letter`."""
        block = self.guard.check(nik)
        if block:
            return Identified(False, block=block)
        resident = self.store.get(nik)
        ok = self._matches(nik, method, answer, resident, letter)
        allowed = method in FACTORS and (method == "code" or method == self.factor) and accepted(
            method, getattr(letter, "min_factor", None))
        if not (ok and allowed and resident is not None):
            return Identified(False, block=self.guard.failure(nik))
        self.guard.success(nik)
        return Identified(True, resident, method)

    def _matches(self, nik: str, method: str, answer, resident, letter) -> bool:
        """Exactly one slow hash on every path."""
        if method == "pin":
            if self.pins is None:
                return self.hasher.verify(None, str(answer))
            return self.pins.verify(nik, str(answer))
        if method == "code":
            if self.codes is None:
                return self.hasher.verify(None, str(answer))
            return self.codes.verify(nik, str(answer), getattr(letter, "code", ""))
        self.hasher.verify(None, "")
        if method == "birth_date":
            return resident is not None and isinstance(answer, date) and resident.birth_date == answer
        if method == "tag":
            tag = str(answer or "").strip()
            expected = str(getattr(resident, "tag_id_card", "") or "") if resident is not None else ""
            return bool(tag) and bool(expected) and hmac.compare_digest(tag.encode(), expected.encode())
        return False

    def change_pin(self, nik: str, old: str, new: str) -> tuple[str, Block | None]:
        """The resident changes their PIN at the kiosk with the old one: ("changed" | "wrong" | a PinError
        catalog key, block). Wrong old PINs count toward the same lockout as any check."""
        try:
            check_pin_format(new)
        except PinError as exc:
            return exc.key, None
        block = self.guard.check(nik)
        if block:
            return "wrong", block
        resident = self.store.get(nik)
        ok = self.pins is not None and self.pins.verify(nik, old)
        if not ok or resident is None:
            return "wrong", self.guard.failure(nik)
        self.guard.success(nik)
        self.pins.set(nik, new)
        return "changed", None
