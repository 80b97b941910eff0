"""Indonesian words for dates, months and amounts, as printed on letters."""

from __future__ import annotations

from datetime import date

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def tanggal(day: date | str | None) -> str:
    """date(2026, 11, 28) -> '28 November 2026' ('' for None)."""
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def hari(day: date | str) -> str:
    """date(2026, 11, 27) -> 'Jumat'."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return HARI[day.weekday()]


def bulan_romawi(month: int) -> str:
    return ROMAWI[month - 1]


_DIGITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_DIGITS[hundreds]} ratus")
    if 10 <= rest < 20:
        words.append({10: "sepuluh", 11: "sebelas"}.get(rest) or f"{_DIGITS[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            words.append(f"{_DIGITS[tens]} puluh")
        if ones:
            words.append(_DIGITS[ones])
    return " ".join(words)


def terbilang(amount: int) -> str:
    """2500000 -> 'dua juta lima ratus ribu'; 1001000 -> 'satu juta seribu' (KBBI: seribu, seratus,
    sebelas, sepuluh wherever the group is one; num2words writes 'satu ribu' after a larger group)."""
    amount = int(amount)
    if amount < 0:
        return "minus " + terbilang(-amount)
    if amount == 0:
        return "nol"
    words = []
    for scale, name in _SCALES:
        group, amount = divmod(amount, scale)
        if group:
            words.append(f"{terbilang(group)} {name}")
    thousands, amount = divmod(amount, 1000)
    if thousands:
        words.append("seribu" if thousands == 1 else f"{_below_thousand(thousands)} ribu")
    if amount:
        words.append(_below_thousand(amount))
    return " ".join(words)


def angka(amount: int) -> str:
    """10000 -> '10.000' (dots between thousands, as every number on a letter)."""
    return f"{int(amount):,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """2500000 -> 'Rp2.500.000' (PUEBI: no space, dots between thousands)."""
    return "Rp" + angka(amount)


def parse_amount(text: str) -> int:
    """'2.500.000', 'Rp 2.500.000', '2500000' -> 2500000. Raises ValueError."""
    cleaned = str(text).strip().lower().removeprefix("rp").strip().replace(".", "").replace(" ", "")
    if cleaned.endswith(",00"):
        cleaned = cleaned[:-3]
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)
