"""NIK and No KK: the 16-digit numbers on the KTP-el and the Kartu Keluarga.

NIK = province(2) regency(2) district(2) birth date DDMMYY (day + 40 for women) serial(4).
No KK = area code(6) + registration date DDMMYY + serial(4).
OpenSID writes `0` for a resident who has no NIK yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Past 2**53 a float cannot hold every 16-digit integer: Excel "numbers" may have lost digits.
_FLOAT_EXACT = 2**53


class NumberError(ValueError):
    """Why a cell is not a valid NIK / No KK; `key` and `params` name a catalog message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _digits(value, what: str) -> str:
    """The cell as a string of what was typed, without spaces; floats from Excel checked for lost digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise NumberError(f"{what}.not_digits")
    if isinstance(value, float):
        if not value.is_integer():
            raise NumberError(f"{what}.not_digits")
        if abs(value) >= _FLOAT_EXACT:
            raise NumberError(f"{what}.float_precision")
        value = int(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if text.startswith("'"):  # Excel's "store as text" prefix survives some CSV exports
        text = text[1:]
    return text


def _sixteen(value, what: str) -> str | None:
    text = _digits(value, what)
    if text in ("", "0", "-"):
        return None
    if not text.isdigit():
        raise NumberError(f"{what}.not_digits")
    if len(text) != 16:
        raise NumberError(f"{what}.length", digits=len(text))
    return text


def parse_nik(value) -> str | None:
    """The NIK as 16 digits, or None for "no NIK yet" (empty or OpenSID's 0). Raises NumberError."""
    return _sixteen(value, "nik")


def parse_kk(value) -> str | None:
    return _sixteen(value, "kk")


@dataclass(frozen=True)
class NikParts:
    area: str  # province + regency + district (6 digits)
    birth_date: date | None  # None when the embedded date is impossible
    sex: int  # 1 LAKI-LAKI, 2 PEREMPUAN (day + 40)
    serial: str


def decode_nik(nik: str, today: date | None = None) -> NikParts:
    """Read the area, birth date and sex a (16-digit) NIK encodes."""
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = 2 if day > 40 else 1
    if day > 40:
        day -= 40
    today = today or date.today()
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = date(year, month, day)
    except ValueError:
        born = None
    return NikParts(area=nik[:6], birth_date=born, sex=sex, serial=nik[12:])


def mask(nik: str | None) -> str:
    """A NIK fit for a screen, a log or a letter's QR: '3404****0001'."""
    if not nik:
        return ""
    nik = str(nik)
    if len(nik) < 12:
        return "*" * len(nik)
    return f"{nik[:4]}****{nik[-4:]}"
