"""Letter numbers in OpenSID's format: `[kode_surat]/[nomor_surat, 3]/[kode_desa]/[bulan_romawi]/[tahun]`.

The sequence is per letter type (its classification code) per year by default, or one per year
("global"). A number is allocated under the register's lock, the counter file is replaced atomically
and fsynced, and the "issued" entry is appended to the register before the lock is released, so two
kiosks or processes never get the same number and a number in use is always in the register.
"""

from __future__ import annotations

import re
from datetime import date

from appliance.errors import SemenitError
from appliance.letters.words import bulan_romawi

TOKEN = re.compile(r"\[([a-z_]+)(?:\s*,\s*(\d+))?\]")
TOKENS = ("kode_surat", "nomor_surat", "kode_desa", "kode_wilayah", "bulan_romawi", "bulan", "tahun")


class NumberFormatError(SemenitError, ValueError):
    """A number format that could repeat a number; the text says which token is missing or unknown."""


def check_format(fmt: str, sequence: str) -> None:
    """Refuse a format that could repeat a number: it must hold [nomor_surat] and [tahun] (the sequence
    restarts every year), and [kode_surat] when each type has its own sequence."""
    names = [m.group(1) for m in TOKEN.finditer(fmt)]
    unknown = [n for n in names if n not in TOKENS]
    if unknown:
        raise NumberFormatError("letters.number_format.unknown_token", token=unknown[0], known=", ".join(TOKENS))
    if "nomor_surat" not in names or "tahun" not in names:
        raise NumberFormatError("letters.number_format.needs_number_and_year")
    if sequence == "jenis" and "kode_surat" not in names:
        raise NumberFormatError("letters.number_format.needs_code")


def format_number(fmt: str, *, classification: str, seq: int, day: date, kode_desa: str,
                  kode_wilayah: str = "") -> str:
    def token(match: re.Match) -> str:
        name, width = match.group(1), match.group(2)
        if name == "nomor_surat":
            return str(seq).zfill(int(width or 3))
        return {
            "kode_surat": classification,
            "kode_desa": kode_desa,
            "kode_wilayah": kode_wilayah,
            "bulan_romawi": bulan_romawi(day.month),
            "bulan": f"{day.month:02d}",
            "tahun": str(day.year),
        }[name]

    return TOKEN.sub(token, fmt)


def sequence_key(sequence: str, classification: str, day: date) -> str:
    return f"{day.year}" if sequence == "global" else f"{day.year}/{classification}"
