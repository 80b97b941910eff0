"""Printing: printers from the settings, their state, and a spool that never loses or doubles a job.

Nothing here imports a printer library at import time; each backend imports its own when used. The names
below are loaded on first use (PEP 562): the unit's status rule needs only `printing.state`, and a queue
or residents command must not pay for the printer set and the spool to read it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from appliance.printing.printers import PrinterSet, PrintingConfigError, open_printers
    from appliance.printing.spool import Job, Spool, SpoolError
    from appliance.printing.state import STATUSES, PrinterError, PrinterState

_WHERE = {
    "PrinterSet": "printers", "PrintingConfigError": "printers", "open_printers": "printers",
    "Job": "spool", "Spool": "spool", "SpoolError": "spool",
    "STATUSES": "state", "PrinterError": "state", "PrinterState": "state",
}

__all__ = [  # noqa: RUF022 - grouped as _WHERE
    "PrinterSet", "PrintingConfigError", "open_printers",
    "Job", "Spool", "SpoolError",
    "STATUSES", "PrinterError", "PrinterState",
]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # once: later look-ups are plain module attributes
    return value
