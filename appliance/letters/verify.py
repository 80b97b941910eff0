"""Checking a letter's QR text: signature by this village's key, then what the register knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from appliance.i18n import _
from appliance.letters import signing
from appliance.letters.register import Register
from appliance.letters.words import tanggal
from appliance.residents.nik import mask

EXIT_GENUINE, EXIT_REFUSED, EXIT_NO_KEY, EXIT_VOIDED = 0, 1, 2, 3


@dataclass
class VerifyResult:
    genuine: bool
    exit_code: int
    reason: str  # genuine | malformed | bad_signature | no_key | voided | mismatch
    message: str
    details: list[str] = field(default_factory=list)
    payload: signing.Payload | None = None

    def as_dict(self) -> dict:
        p = self.payload
        return {"genuine": self.genuine, "reason": self.reason, "message": self.message,
                "number": p.number if p else None, "date": p.day.isoformat() if p else None,
                "type": p.code if p else None, "nik": p.nik_masked if p else None}


def verify_letter(home: Path, text: str) -> VerifyResult:
    public = signing.load_public(home)
    if public is None:
        return VerifyResult(False, EXIT_NO_KEY, "no_key", _("letters.verify.no_key"))
    try:
        payload = signing.verify(public, text)
    except signing.VerifyError as exc:
        return VerifyResult(False, EXIT_REFUSED, exc.reason, _(f"letters.verify.{exc.reason}"))
    details = [
        _("letters.verify.detail.number", number=payload.number),
        _("letters.verify.detail.type", code=payload.code),
        _("letters.verify.detail.date", date=tanggal(payload.day)),
        _("letters.verify.detail.nik", nik=payload.nik_masked),
    ]
    record = Register(home).get(payload.number)
    if record is not None:
        if (record.code != payload.code or record.day != payload.day.isoformat()
                or mask(record.nik) != payload.nik_masked):
            return VerifyResult(False, EXIT_REFUSED, "mismatch", _("letters.verify.mismatch", number=payload.number),
                                details, payload)
        if record.status == "voided":
            return VerifyResult(False, EXIT_VOIDED, "voided",
                                _("letters.verify.voided", number=payload.number, reason=record.void_reason),
                                details, payload)
        details.insert(1, _("letters.verify.detail.title", title=record.title))
        details.append(_("letters.verify.detail.status", status=_(f"letters.status.{record.status}")))
    else:
        details.append(_("letters.verify.detail.not_here"))
    return VerifyResult(True, EXIT_GENUINE, "genuine", _("letters.verify.genuine"), details, payload)
