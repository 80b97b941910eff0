"""One-time print codes: an officer who has checked a resident's documents gives a 6-digit code for one NIK
and one letter type, valid for a limited time and used once. The path for residents without a PIN, and for
letter types a village wants checked by a person.

The file holds, per NIK key, one active code as an argon2id digest with its letter type and expiry; a new
code for the same NIK replaces the old one. A code is spent by the first successful check.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from appliance.identity.hasher import HASHER, SlowHasher
from appliance.identity.keys import nik_key, unit_secret
from appliance.storage.document import locked_document

PRINT_CODES_FILE = "print_codes.json"
CODE_DIGITS = 6
DEFAULT_MINUTES = 60


@dataclass(frozen=True)
class IssuedCode:
    code: str
    letter: str
    expires_at: float


class PrintCodes:
    def __init__(self, home: Path, hasher: SlowHasher = HASHER, clock=time.time):
        self.path = Path(home) / PRINT_CODES_FILE
        self._secret = unit_secret(home)
        self.hasher = hasher
        self.clock = clock

    def issue(self, nik: str, letter: str, minutes: int = DEFAULT_MINUTES) -> IssuedCode:
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        now = self.clock()
        entry = {"digest": self.hasher.hash(code), "letter": letter, "expires_at": now + minutes * 60}
        with locked_document(self.path) as doc:
            for key in [k for k, e in doc.items() if float(e.get("expires_at", 0)) <= now]:
                del doc[key]  # expired codes of others: forgotten
            doc[nik_key(self._secret, nik)] = entry
        return IssuedCode(code, letter, entry["expires_at"])

    def verify(self, nik: str, code: str, letter: str) -> bool:
        """True once for the right code, NIK and letter type before it expires; one slow hash in every case."""
        key = nik_key(self._secret, nik)
        with locked_document(self.path) as doc:
            entry = doc.get(key) if isinstance(doc.get(key), dict) else None
            usable = (entry is not None and entry.get("letter") == letter
                      and float(entry.get("expires_at", 0)) > self.clock())
            digest = entry.get("digest") if entry is not None else None
            if not self.hasher.verify(digest, code.strip()) or not usable:
                return False
            del doc[key]  # spent: valid once
            return True
