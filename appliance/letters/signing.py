"""The village's Ed25519 key and the letter's signed QR payload (verifiable offline).

Payload (one line, ASCII, ~150 characters: a version 7 QR at level M):

    SMN1|470/012/TRJ/XI/2026|20261128|SKTM|3404****0001|<signature, base64url, 86 chars>

The signature covers everything before the last "|". Only the masked NIK is in the QR, so a
photographed letter does not leak the full NIK. The key pair is made on first use (or by
`semenit keys init`); the private key is a PKCS#8 PEM file readable only by its owner (0600).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from appliance.storage.atomic import atomic_write
from appliance.storage.locks import file_lock

PREFIX = "SMN1"
_MASKED = re.compile(r"^[0-9]{4}\*{4,8}[0-9]{4}$")
PRIVATE_NAME = "village-ed25519.key"
PUBLIC_NAME = "village-ed25519.pub"


def key_dir(home: Path) -> Path:
    return Path(home) / "keys"


def public_key_path(home: Path) -> Path:
    return key_dir(home) / PUBLIC_NAME


def ensure_keypair(home: Path) -> tuple[Ed25519PrivateKey, Ed25519PublicKey, bool]:
    """The village key pair, created when missing (idempotent; safe when several processes race).

    Returns (private key, public key, created now)."""
    folder = key_dir(home)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path = folder / PRIVATE_NAME
    created = False
    with file_lock(folder / ".keys.lock"):
        if not private_path.exists():
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            atomic_write(private_path, pem, mode=0o600)
            created = True
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{private_path} is not an Ed25519 key")
        public = key.public_key()
        pub_path = folder / PUBLIC_NAME
        pub_pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        if not pub_path.exists() or pub_path.read_bytes() != pub_pem:
            atomic_write(pub_path, pub_pem, mode=0o644)
    return key, public, created


def public_pem(home: Path) -> str:
    return ensure_keypair(home)[1].public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public(home: Path) -> Ed25519PublicKey | None:
    path = public_key_path(home)
    if not path.exists():
        return None
    key = serialization.load_pem_public_key(path.read_bytes())
    return key if isinstance(key, Ed25519PublicKey) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(raw) != text:  # refuse a non-canonical spelling (unused low bits changed)
        raise binascii.Error("non-canonical base64")
    return raw


@dataclass(frozen=True)
class Payload:
    number: str
    day: date
    code: str
    nik_masked: str


def sign(key: Ed25519PrivateKey, payload: Payload) -> str:
    body = "|".join((PREFIX, payload.number, payload.day.strftime("%Y%m%d"), payload.code, payload.nik_masked))
    return f"{body}|{_b64(key.sign(body.encode()))}"


class VerifyError(Exception):
    """Why a QR text is not a genuine letter: `reason` is a catalog key (letters.verify.*)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse(text: str) -> tuple[Payload, str, bytes]:
    """(payload, signed text, signature). Raises VerifyError('malformed')."""
    text = text.strip()
    if not text.isascii():
        raise VerifyError("malformed")
    parts = text.split("|")
    if len(parts) != 6 or parts[0] != PREFIX:
        raise VerifyError("malformed")
    _prefix, number, day, code, nik, sig = parts
    try:
        parsed_day = date(int(day[:4]), int(day[4:6]), int(day[6:8])) if len(day) == 8 and day.isdigit() else None
    except ValueError:
        parsed_day = None
    if parsed_day is None or not number or not code or not _MASKED.match(nik):
        raise VerifyError("malformed")
    try:
        signature = _unb64(sig)
    except (binascii.Error, ValueError) as exc:
        raise VerifyError("bad_signature") from exc
    if len(signature) != 64:
        raise VerifyError("bad_signature")
    return Payload(number, parsed_day, code, nik), text.rsplit("|", 1)[0], signature


def verify(public: Ed25519PublicKey, text: str) -> Payload:
    """The payload of a genuine QR text; raises VerifyError otherwise."""
    payload, body, signature = parse(text)
    try:
        public.verify(signature, body.encode())
    except InvalidSignature as exc:
        raise VerifyError("bad_signature") from exc
    return payload


def fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(raw)[:16]


__all__ = ["Payload", "VerifyError", "ensure_keypair", "fingerprint", "load_public", "parse", "public_pem",
           "sign", "verify"]
