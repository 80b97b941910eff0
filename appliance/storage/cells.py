"""Text cells that go to a terminal, a letter or a spreadsheet: no control characters, no live formulas.

A resident file comes from a USB stick: a name holding ESC or BEL rewrites the operator's terminal, NUL
ends it early on a printer, a bidi override turns it around on a letter, and openpyxl refuses to save
such a cell at all. A name starting with `=` becomes a live formula in the register's .xlsx or in any
spreadsheet that opens its .csv (it can leak other cells to a web address). So imports refuse control
characters in every cell, and exports write text as text and neutralise a CSV cell that a spreadsheet
would run (OWASP's advice: a leading apostrophe).
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL (tab, newline and carriage return are spacing, tidied by the importer), and
# the invisible direction overrides that reorder what a letter shows.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_RUNS_IN_A_SPREADSHEET = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def without_control(text: str) -> str:
    """Each control character as U+FFFD: visible, and never taken for what it would have done."""
    return _CONTROL.sub(REPLACEMENT, text)


def csv_cell(value):
    """A value for a CSV cell a spreadsheet will open: text that would run is prefixed with an apostrophe."""
    if isinstance(value, str):
        value = without_control(value)
        if value.startswith(_RUNS_IN_A_SPREADSHEET):
            return "'" + value
    return value


def append_text_row(worksheet, values) -> None:
    """Append a row to an openpyxl sheet with text kept as text (openpyxl makes '=...' a formula)."""
    worksheet.append([without_control(v) if isinstance(v, str) else v for v in values])
    for cell in worksheet[worksheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
