"""NIK and No KK: the 16-digit numbers on the KTP-el and the Kartu Keluarga.

NIK = province(2) regency(2) district(2) birth date DDMMYY (day + 40 for women) serial(4).
No KK = area code(6) + registration date DDMMYY + serial(4).
OpenSID writes `0` for a resident who has no NIK yet.

A NIK is stored as ASCII digits only: the kiosk's keypad types nothing else, so a NIK kept in any
other script could never be found. Digits that map cleanly (full-width, Arabic-Indic: Unicode decimal
digits) and the separators people type (`3404-1324-...`, dots, spaces) are read as their ASCII digits
with a warning; anything else (a superscript, a letter, an invisible character) is refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

# Past 2**53 a float cannot hold every 16-digit integer: Excel "numbers" may have lost digits.
_FLOAT_EXACT = 2**53


# Internal, not a SemenitError: a cell's reason; the importer and the NIK checks turn its key into their own message.
class NumberError(ValueError):
    """Why a cell is not a valid NIK / No KK; `key` and `params` name a catalog message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


NORMALISED = "import.warn.nik_normalised"
WAS_NUMBER = "import.warn.nik_was_number"
# What people type between groups of digits; removed with a warning.
_SEPARATORS = frozenset(" -./\u00a0\u2010\u2011\u2012\u2013\u2014")


def _ascii_digits(text: str, what: str) -> tuple[str, bool]:
    """`text` as ASCII digits and whether anything had to be changed for that. Raises NumberError."""
    if text.isascii() and text.isdigit():
        return text, False
    out = []
    for ch in text:
        if "0" <= ch <= "9":
            out.append(ch)
        elif ch in _SEPARATORS:
            continue
        else:
            # decimal(), not isdigit(): a superscript '²' is a digit but not a decimal digit.
            value = unicodedata.decimal(ch, None)
            if value is None:
                raise NumberError(f"{what}.not_digits")
            out.append(str(value))
    return "".join(out), True


def _digits(value, what: str) -> tuple[str, set[str]]:
    """The cell as what was typed, stripped; floats from Excel checked for lost digits; plus warnings."""
    notes: set[str] = set()
    if value is None:
        return "", notes
    if isinstance(value, bool):
        raise NumberError(f"{what}.not_digits")
    if isinstance(value, float):
        if not value.is_integer():
            raise NumberError(f"{what}.not_digits")
        if abs(value) >= _FLOAT_EXACT:
            raise NumberError(f"{what}.float_precision")
        value = int(value)
    if isinstance(value, int) and len(str(abs(value))) >= 16:
        # Excel keeps 15 significant digits: a 16-digit number may have lost its last one unnoticed.
        notes.add(WAS_NUMBER)
    text = str(value).strip()
    if text.startswith("'"):  # Excel's "store as text" prefix survives some CSV exports
        text = text[1:]
    return text, notes


def _sixteen(value, what: str) -> tuple[str | None, set[str]]:
    text, notes = _digits(value, what)
    if text in ("", "0", "-"):
        return None, notes
    text, changed = _ascii_digits(text, what)
    if changed and text not in ("", "0"):
        notes.add(NORMALISED)
    if text in ("", "0"):
        return None, notes
    if len(text) != 16:
        raise NumberError(f"{what}.length", digits=len(text))
    return text, notes


def read_nik(value) -> tuple[str | None, set[str]]:
    """The NIK as 16 ASCII digits (None for "no NIK yet") and the warning keys reading it raised."""
    return _sixteen(value, "nik")


def parse_nik(value) -> str | None:
    """The NIK as 16 digits, or None for "no NIK yet" (empty or OpenSID's 0). Raises NumberError."""
    return _sixteen(value, "nik")[0]


def parse_kk(value) -> str | None:
    return _sixteen(value, "kk")[0]


def loose_nik(value) -> str | None:
    """The 16 digits a refused row's NIK cell holds, if any: enough to know who the row is about."""
    try:
        return parse_nik(value)
    except NumberError:
        pass
    if value is None:
        return None
    # Generous on purpose (a superscript counts): it only protects a resident from being marked absent.
    digits = "".join(str(d) for ch in str(value) if (d := unicodedata.digit(ch, None)) is not None)
    return digits if len(digits) == 16 else None


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
