"""Dates as resident files write them: ISO text, Indonesian day-first text, Excel serial numbers."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

EXCEL_EPOCH = {0: date(1899, 12, 30), 1: date(1904, 1, 1)}
EARLIEST = date(1880, 1, 1)

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


# Internal, not a SemenitError: plan_import turns it into a row message of the import report.
class DateError(ValueError):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateError("import.row.impossible_date", value=text) from exc


def parse_date(value, today: date, datemode: int = 0) -> date | None:
    """A birth date from a cell; None for an empty cell. Refuses impossible and future dates."""
    if value is None:
        return None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = _from_serial(value, datemode)
    else:
        text = str(value).strip()
        if not text or text in ("-", "0"):
            return None
        if text.isascii() and (text.isdigit() and 4 < len(text) <= 6 or re.fullmatch(r"\d{5,6}\.0", text)):
            found = _from_serial(float(text), datemode)
        elif m := _ISO.match(text):
            found = _make(int(m[1]), int(m[2]), int(m[3]), text)
        elif m := _DMY.match(text):
            found = _make(int(m[3]), int(m[2]), int(m[1]), text)
        else:
            raise DateError("import.row.unreadable_date", value=text)
    if found > today:
        raise DateError("import.row.future_date", value=found.isoformat())
    if found < EARLIEST:
        raise DateError("import.row.impossible_date", value=found.isoformat())
    return found


def _from_serial(serial: float, datemode: int) -> date:
    if not math.isfinite(serial) or serial != int(serial) or not 1 <= serial <= 2_958_465:
        raise DateError("import.row.unreadable_date", value=str(serial))
    return EXCEL_EPOCH[1 if datemode else 0] + timedelta(days=int(serial))
