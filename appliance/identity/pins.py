"""Resident PINs: registered (or reset) only by the operator after seeing the KTP, changeable at the kiosk by
the resident with the old PIN. Stored as argon2id digests keyed by the NIK's opaque key; never in clear."""

from __future__ import annotations

from pathlib import Path

from appliance.identity.hasher import HASHER, SlowHasher
from appliance.identity.keys import nik_key, unit_secret
from appliance.services.operator import check_pin_format
from appliance.storage.document import locked_document

RESIDENT_PINS_FILE = "resident_pins.json"


class ResidentPins:
    def __init__(self, home: Path, hasher: SlowHasher = HASHER):
        self.path = Path(home) / RESIDENT_PINS_FILE
        self._secret = unit_secret(home)
        self.hasher = hasher

    def _key(self, nik: str) -> str:
        return nik_key(self._secret, nik)

    def set(self, nik: str, pin: str) -> None:
        """Register or reset (the operator). Raises operator.PinError for a PIN that cannot be used."""
        check_pin_format(pin)
        digest = self.hasher.hash(pin)
        with locked_document(self.path) as doc:
            doc[self._key(nik)] = digest

    def remove(self, nik: str) -> bool:
        with locked_document(self.path) as doc:
            return doc.pop(self._key(nik), None) is not None

    def has(self, nik: str) -> bool:
        with locked_document(self.path) as doc:
            return self._key(nik) in doc

    def verify(self, nik: str, pin: str) -> bool:
        """One slow hash whether or not this NIK has a PIN (or exists)."""
        with locked_document(self.path) as doc:
            digest = doc.get(self._key(nik))
        return self.hasher.verify(digest if isinstance(digest, str) else None, pin)
