"""Indonesian words for dates, months and amounts, as printed on letters."""

from __future__ import annotations

from datetime import date

from num2words import num2words

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
)
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def tanggal(day: date | str | None) -> str:
    """date(2026, 11, 28) -> '28 November 2026' ('' for None)."""
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def bulan_romawi(month: int) -> str:
    return ROMAWI[month - 1]


def terbilang(amount: int) -> str:
    """2500000 -> 'dua juta lima ratus ribu' (num2words' Indonesian, which says 'seribu', 'seratus')."""
    amount = int(amount)
    if amount < 0:
        return "minus " + terbilang(-amount)
    return num2words(amount, lang="id")


def rupiah(amount: int) -> str:
    """2500000 -> 'Rp2.500.000' (PUEBI: no space, dots between thousands)."""
    return "Rp" + f"{int(amount):,}".replace(",", ".")


def parse_amount(text: str) -> int:
    """'2.500.000', 'Rp 2.500.000', '2500000' -> 2500000. Raises ValueError."""
    cleaned = str(text).strip().lower().removeprefix("rp").strip().replace(".", "").replace(" ", "")
    if cleaned.endswith(",00"):
        cleaned = cleaned[:-3]
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)
