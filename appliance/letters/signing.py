"""The village's Ed25519 key and the letter's signed QR: an address on the village's web site whose part
after "#" is the signed payload, so any phone opens the village's verification page and the page checks it
offline (DESIGN §6).

    https://triharjo.desa.id/surat#S2*SKTM*401/001/TRJ/XI/2026*20261128*SITI+AMINAH*Keperluan:+Pengajuan+beasiswa*<digest>*<signature>

Fields, separated by "*", each form-encoded (space as "+", so "*" and "~" never occur inside one): the
version, the type code, the number, the date, the resident's name, the key statements (the fields the
resident filled, as printed, "Label: value" joined by "; ", as many whole ones as fit a thermal-printable
QR), the digest, the signature. The digest is SHA-256 (first 12 bytes) over everything the letter states,
taken from the letter model it is printed from: the full NIK, every row, paragraph and table, the dates and
the signer. The full NIK is never in the QR in clear. The signature (Ed25519, base64url) covers the exact
text from "S2" to the last "*", so a changed character, a re-encoded one or another village's key fails.

Why the name and statements travel in the QR: a genuine QR pasted onto a letter with another name or purpose
must be exposed to a clerk with only a phone, who compares what the page shows with the paper.

The key pair is made on first use (or by `semenit keys init`); the private key is a PKCS#8 PEM file readable
only by its owner (0600).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote_plus, unquote_plus

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from appliance.errors import SemenitError
from appliance.storage.atomic import atomic_write
from appliance.storage.locks import file_lock

PRIVATE_NAME = "village-ed25519.key"
PUBLIC_NAME = "village-ed25519.pub"


def key_dir(home: Path) -> Path:
    return Path(home) / "keys"


def public_key_path(home: Path) -> Path:
    return key_dir(home) / PUBLIC_NAME


# An Ed25519 key in these PEM files is a fixed DER prefix and its 32 raw bytes (RFC 8410), so it is read
# and written here without cryptography's serialization package, whose import (its SSH support) costs every
# cold command that signs ~10 ms. A file in any other form goes through cryptography's general loader.
_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def _pem_der(data: bytes, label: bytes) -> bytes | None:
    begin, end = b"-----BEGIN " + label + b"-----", b"-----END " + label + b"-----"
    text = data.strip()
    if not (text.startswith(begin) and text.endswith(end)):
        return None
    try:
        return base64.b64decode(b"".join(text[len(begin):-len(end)].split()), validate=True)
    except binascii.Error:
        return None


def _load_private_pem(data: bytes):
    der = _pem_der(data, b"PRIVATE KEY")
    if der is not None and len(der) == len(_PKCS8_PREFIX) + 32 and der.startswith(_PKCS8_PREFIX):
        return Ed25519PrivateKey.from_private_bytes(der[len(_PKCS8_PREFIX):])
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(data, password=None)


def _load_public_pem(data: bytes):
    der = _pem_der(data, b"PUBLIC KEY")
    if der is not None and len(der) == len(_SPKI_PREFIX) + 32 and der.startswith(_SPKI_PREFIX):
        return Ed25519PublicKey.from_public_bytes(der[len(_SPKI_PREFIX):])
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_public_key(data)


def _public_pem(public: Ed25519PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM, byte for byte as cryptography writes it (64 characters a line)."""
    b64 = base64.b64encode(_SPKI_PREFIX + public.public_bytes_raw())
    body = b"\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return b"-----BEGIN PUBLIC KEY-----\n" + body + b"\n-----END PUBLIC KEY-----\n"


def ensure_keypair(home: Path) -> tuple[Ed25519PrivateKey, Ed25519PublicKey, bool]:
    """The village key pair, created when missing (idempotent; safe when several processes race).

    Returns (private key, public key, created now)."""
    folder = key_dir(home)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path = folder / PRIVATE_NAME
    created = False
    with file_lock(folder / ".keys.lock"):
        if not private_path.exists():
            from cryptography.hazmat.primitives import serialization

            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            atomic_write(private_path, pem, mode=0o600)
            created = True
        key = _load_private_pem(private_path.read_bytes())
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{private_path} is not an Ed25519 key")
        public = key.public_key()
        pub_path = folder / PUBLIC_NAME
        pub_pem = _public_pem(public)
        if not pub_path.exists() or pub_path.read_bytes() != pub_pem:
            atomic_write(pub_path, pub_pem, mode=0o644)
    return key, public, created


def public_pem(home: Path) -> str:
    return _public_pem(ensure_keypair(home)[1]).decode()


def load_public(home: Path) -> Ed25519PublicKey | None:
    path = public_key_path(home)
    if not path.exists():
        return None
    key = _load_public_pem(path.read_bytes())
    return key if isinstance(key, Ed25519PublicKey) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(raw) != text:  # refuse a non-canonical spelling (unused low bits changed)
        raise binascii.Error("non-canonical base64")
    return raw


VERSION = "S2"
SEPARATOR = "*"
DIGEST_BYTES = 12
PAGE_PATH = "/surat"
STATEMENTS_BUDGET = 110  # characters of key statements: keeps the whole QR near version 10 (57 modules)
_SAFE = "/:,.()'@"
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")


def _enc(text: str) -> str:
    return quote_plus(text, safe=_SAFE)


def _dec(text: str) -> str:
    return unquote_plus(text, errors="strict")


@dataclass(frozen=True)
class Payload:
    """What a QR states: the verifier sees all of it; `digest` binds the rest of the letter."""

    code: str
    number: str
    day: date
    nama: str
    statements: tuple[str, ...]
    more: int  # statements of the letter not carried in the QR (covered by the digest)
    digest: str


def page_url(settings) -> str:
    """Where the village's verification page lives: [village] situs_web (e.g. https://triharjo.desa.id)
    + /surat. Without it, the desa.id address the village's name would have."""
    from appliance.village import VillageProfile

    site = str(settings.section("village", {"situs_web": ""}).get("situs_web") or "").strip().rstrip("/")
    if not site:
        name = VillageProfile.from_settings(settings).nama_desa
        slug = re.sub(r"[^a-z0-9]+", "", name.lower()) or "desa"
        site = f"https://{slug}.desa.id"
    if "://" not in site:
        site = "https://" + site
    return site + PAGE_PATH


def letter_digest(letter) -> str:
    """SHA-256 (first 12 bytes, base64url) of everything a letter model states, QR and draft flag aside."""
    from dataclasses import asdict

    body = asdict(letter)
    body.pop("qr", None)
    body.pop("draft", None)
    body["day"] = letter.day.isoformat()
    raw = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return _b64(hashlib.sha256(raw).digest()[:DIGEST_BYTES])


def key_statements(template, clean: dict, members: dict | None = None,
                   day=None) -> tuple[tuple[str, ...], int]:
    """("Label: value", ...) of the fields as printed (the letter model's own field_values: a family member
    by name, dates in Indonesian), whole ones within the budget; and how many did not fit."""
    from appliance.letters.model import field_values

    printed = field_values(template, clean, members, day)
    out: list[str] = []
    used = 0
    left = 0
    for item in template.fields:
        value = printed.get(item.name, "")
        if not value:
            continue
        text = f"{item.label}: {value}"
        if used + len(text) + 2 > STATEMENTS_BUDGET:
            left += 1
            continue
        out.append(text)
        used += len(text) + 2
    return tuple(out), left


def payload_for(letter, template, clean: dict, members: dict | None = None) -> Payload:
    """The QR payload of a built letter; `members` the residents a family_member field may name (nik → Resident)."""
    statements, more = key_statements(template, clean, members, letter.day)
    return Payload(letter.code, letter.number, letter.day, letter.nama, statements, more, letter_digest(letter))


def _body(payload: Payload) -> str:
    statements = "; ".join(payload.statements) + (f"; +{payload.more}" if payload.more else "")
    parts = (payload.code, payload.number, payload.day.strftime("%Y%m%d"), payload.nama, statements, payload.digest)
    return SEPARATOR.join((VERSION, *(_enc(p) for p in parts)))


def sign(key: Ed25519PrivateKey, payload: Payload, base_url: str = "") -> str:
    """The QR text: `base_url#payload*signature` (or the bare payload when no base URL is given)."""
    body = _body(payload)
    text = f"{body}{SEPARATOR}{_b64(key.sign(body.encode()))}"
    return f"{base_url}#{text}" if base_url else text


class VerifyError(SemenitError):
    """Why a QR text is not a genuine letter: `reason` (malformed, bad_signature) names the catalog message
    letters.verify.<reason>."""

    def __init__(self, reason: str):
        super().__init__(f"letters.verify.{reason}")
        self.reason = reason


def payload_text(text: str) -> str:
    """The signed part of a QR text: after "#" for the address form, else the text itself."""
    text = text.strip()
    return text.split("#", 1)[1] if "#" in text else text


def parse(text: str) -> tuple[Payload, str, bytes]:
    """(payload, signed text, signature) of a QR text (address or bare). Raises VerifyError('malformed')."""
    text = payload_text(text)
    if not text.isascii() or any(ch.isspace() for ch in text):
        raise VerifyError("malformed")
    parts = text.split(SEPARATOR)
    if len(parts) != 8 or parts[0] != VERSION:
        raise VerifyError("malformed")
    try:
        code, number, day, nama, statements, digest = (_dec(p) for p in parts[1:7])
    except UnicodeDecodeError as exc:
        raise VerifyError("malformed") from exc
    try:
        parsed_day = date(int(day[:4]), int(day[4:6]), int(day[6:8])) if len(day) == 8 and day.isdigit() else None
    except ValueError:
        parsed_day = None
    if parsed_day is None or not number or not code or not nama or not _B64.match(digest):
        raise VerifyError("malformed")
    items = [s for s in statements.split("; ") if s] if statements else []
    more = 0
    if items and re.fullmatch(r"\+[1-9][0-9]*", items[-1]):
        more = int(items.pop()[1:])
    try:
        signature = _unb64(parts[7])
    except (binascii.Error, ValueError) as exc:
        raise VerifyError("bad_signature") from exc
    if len(signature) != 64:
        raise VerifyError("bad_signature")
    payload = Payload(code, number, parsed_day, nama, tuple(items), more, digest)
    return payload, text.rsplit(SEPARATOR, 1)[0], signature


def verify(public: Ed25519PublicKey, text: str) -> Payload:
    """The payload of a genuine QR text; raises VerifyError otherwise."""
    payload, body, signature = parse(text)
    try:
        public.verify(signature, body.encode())
    except InvalidSignature as exc:
        raise VerifyError("bad_signature") from exc
    return payload


def public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes_raw()


def fingerprint(public: Ed25519PublicKey) -> str:
    return _b64(public_raw(public))[:16]


__all__ = ["Payload", "VerifyError", "ensure_keypair", "fingerprint", "letter_digest", "load_public", "page_url",
           "parse", "payload_for", "public_pem", "public_raw", "sign", "verify"]
