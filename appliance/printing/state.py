"""What a printer is doing right now, and where a print job stands, as the screen, the light and the CLI show it.

Both are StrEnums: a state is one of a closed set (a typo is an error, not a silent "unknown"), and the
values are the plain words stored in the spool's JSON and shown by `--json`, so files and output stay
as they were.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum

from appliance.i18n import _


class PrinterStatus(StrEnum):
    """Ordered from "fine" to "needs a person"; the light and the summary use this order."""

    READY = "ready"
    BUSY = "busy"
    PAPER_LOW = "paper_low"
    UNKNOWN = "unknown"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"


class JobState(StrEnum):
    """Where a spool job stands (appliance.printing.spool explains each)."""

    PENDING = "pending"
    SENT = "sent"
    DONE = "done"
    FAILED = "failed"


STATUSES = tuple(PrinterStatus)
# States that stop a job from being sent (it is kept and retried when the state clears).
BLOCKING = frozenset({PrinterStatus.OFFLINE, PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN})
# States that need someone at the printer (the light's "attention").
ATTENTION = BLOCKING


@dataclass(frozen=True)
class PrinterState:
    name: str
    status: PrinterStatus = PrinterStatus.UNKNOWN
    detail: str = ""  # technical detail for logs and `printer status` (never personal data)
    checked_at: float = field(default_factory=time.time)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown printer status {self.status!r}")
        # Backends pass the plain word; keep the enum (frozen: set once, here).
        object.__setattr__(self, "status", PrinterStatus(self.status))

    @property
    def message(self) -> str:
        """The localized sentence for this state (what happened and what to do)."""
        return _(f"printing.status.{self.status}", name=self.name)

    @property
    def blocking(self) -> bool:
        return self.status in BLOCKING

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "detail": self.detail,
            "checked_at": self.checked_at,
        }


# Internal, not a SemenitError: the spool turns it into the job's and the printer's state, which people read.
class PrinterError(Exception):
    """A job could not be delivered. `status` says why, in PrinterState terms.

    `in_doubt` is True when some bytes may already have reached the paper: such a job is not retried
    automatically (it would print twice); it waits for a person to reprint it on request.
    """

    def __init__(self, status: str, detail: str = "", in_doubt: bool = False):
        super().__init__(f"{status}: {detail}" if detail else status)
        self.status = PrinterStatus(status) if status in STATUSES else PrinterStatus.UNKNOWN
        self.detail = detail
        self.in_doubt = in_doubt


def parse_escpos_status(online: bytes | None, offline_cause: bytes | None, paper: bytes | None) -> tuple[str, str]:
    """Turn the answers to DLE EOT 1/2/4 into a status.

    A valid status byte has bit 1 and bit 4 set and bits 0 and 7 clear (ESC/POS real-time status).
    No answer, or a byte that does not look like one, is "unknown": python-escpos reads silence as
    "plenty of paper", we do not.
    """

    def byte(answer: bytes | None) -> int | None:
        if not answer:
            return None
        b = answer[-1]
        return b if (b & 0x93) == 0x12 else None

    on, cause, pap = byte(online), byte(offline_cause), byte(paper)
    if on is None and pap is None:
        return "unknown", "no answer to the status query"
    if cause is not None and cause & 0x04:
        return "cover_open", f"offline cause 0x{cause:02x}"
    if pap is not None and pap & 0x60:
        return "paper_out", f"paper 0x{pap:02x}"
    if on is not None and on & 0x08:
        return "offline", f"online 0x{on:02x}"
    if pap is not None and pap & 0x0C:
        return "paper_low", f"paper 0x{pap:02x}"
    if pap is None:
        return "unknown", "no answer to the paper query"
    return "ready", ""
