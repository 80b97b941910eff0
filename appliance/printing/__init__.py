"""Printing: printers from the settings, their state, and a spool that never loses or doubles a job.

Nothing here imports a printer library at import time; each backend imports its own when used.
"""

from appliance.printing.printers import PrinterSet, PrintingConfigError, open_printers
from appliance.printing.spool import Job, Spool, SpoolError
from appliance.printing.state import STATUSES, PrinterError, PrinterState

__all__ = [
    "STATUSES",
    "Job",
    "PrinterError",
    "PrinterSet",
    "PrinterState",
    "PrintingConfigError",
    "Spool",
    "SpoolError",
    "open_printers",
]
