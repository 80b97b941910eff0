"""Checking a letter's QR (the page address or the bare payload): the village's signature, then what this
unit's register knows about that number.

What a genuine signature proves is only what the QR itself states; so the result lists it (type, number,
date, name, key statements) for the verifier to compare with the paper: a genuine QR pasted onto a letter
with another name shows the true name. Where the register holds the number, the letter's digest must be
the one recorded when it was issued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from appliance.i18n import _
from appliance.letters import signing
from appliance.letters.register import Register
from appliance.letters.words import tanggal

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
                "type": p.code if p else None, "name": p.nama if p else None,
                "statements": list(p.statements) if p else [], "more_statements": p.more if p else 0}


def _details(payload: signing.Payload, title: str) -> list[str]:
    lines = [
        _("letters.verify.detail.title", title=title),
        _("letters.verify.detail.number", number=payload.number),
        _("letters.verify.detail.date", date=tanggal(payload.day)),
        _("letters.verify.detail.name", name=payload.nama),
    ]
    lines += [_("letters.verify.detail.statement", text=text) for text in payload.statements]
    if payload.more:
        lines.append(_("letters.verify.detail.more", count=payload.more))
    lines.append(_("letters.verify.detail.compare"))
    return lines


def verify_letter(home: Path, text: str, public=None) -> VerifyResult:
    """`public`: another key to check against (default: this unit's village key)."""
    public = public or signing.load_public(home)
    if public is None:
        return VerifyResult(False, EXIT_NO_KEY, "no_key", _("letters.verify.no_key"))
    try:
        payload = signing.verify(public, text)
    except signing.VerifyError as exc:
        return VerifyResult(False, EXIT_REFUSED, exc.reason, exc.text())
    record = Register(home).get(payload.number)
    title = record.title if record is not None else payload.code
    details = _details(payload, title)
    if record is None:
        details.append(_("letters.verify.detail.not_here"))
        return VerifyResult(True, EXIT_GENUINE, "genuine", _("letters.verify.genuine"), details, payload)
    recorded_digest = record.events[0].get("digest", "") if record.events else ""
    if (record.code != payload.code or record.day != payload.day.isoformat() or record.nama != payload.nama
            or recorded_digest != payload.digest):
        return VerifyResult(False, EXIT_REFUSED, "mismatch", _("letters.verify.mismatch", number=payload.number),
                            details, payload)
    if record.status == "voided":
        return VerifyResult(False, EXIT_VOIDED, "voided",
                            _("letters.verify.voided", number=payload.number, reason=record.void_reason),
                            details, payload)
    details.append(_("letters.verify.detail.status", status=_(f"letters.status.{record.status}")))
    return VerifyResult(True, EXIT_GENUINE, "genuine", _("letters.verify.genuine"), details, payload)
