"""Queue numbers (nomor antrean): one press of the button, or `semenit queue take`, gives the next number.

The counter lives in `home/queue.json`, changed under a lock and written atomically with fsync before
the number is handed out (appliance.storage.document), so a power cut or `kill -9` never repeats or
skips a number, and two processes (the kiosk and the CLI) never hand out the same one.

Numbers restart at 1 at local midnight in the settings' timezone ([queue] timezone, else the village's,
else Asia/Jakarta). The day never goes backwards: if the clock is set back across midnight, numbering
continues on the day already reached instead of starting again (which would repeat numbers).

`waiting_before` is how many tickets of today are not yet served: the operator screen calls
`call_next()` as each person is served; with nobody calling, it is every number before yours.

This is core code: no hardware. The ticket is rendered by appliance.render.ticket and printed through
the spool (kind "ticket") when a printer set is given.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from appliance.config import Settings
from appliance.i18n import _
from appliance.storage.document import locked_document, read_document

DEFAULTS = {
    "timezone": "",  # empty: the village's timezone ([village] timezone), else Asia/Jakarta
    "print_ticket": True,
}
FALLBACK_TZ = "Asia/Jakarta"
log = logging.getLogger(__name__)


class QueueError(Exception):
    """The queue cannot work as set up (an unknown timezone)."""


class Ticket(NamedTuple):
    number: int
    day: str  # ISO date of the queue day the number belongs to
    issued_at: str  # ISO date-time with the timezone's offset
    waiting_before: int
    job_id: str | None = None  # the ticket's print job, when one was submitted
    problem: str | None = None  # why no ticket job could be submitted (the number stands anyway)

    def as_dict(self) -> dict:
        return self._asdict()


class QueueStatus(NamedTuple):
    day: str
    last: int  # the last number handed out today (0: none yet)
    served: int  # numbers served so far (call_next)
    waiting: int  # handed out and not yet served
    timezone: str

    def as_dict(self) -> dict:
        return self._asdict()


class QueueService:
    def __init__(self, settings: Settings, home: Path, printers=None, clock=None):
        conf = settings.section("queue", DEFAULTS)
        tz_name = str(conf["timezone"] or settings.section("village", {}).get("timezone") or FALLBACK_TZ)
        try:
            self.tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise QueueError(_("queue.error.timezone", tz=tz_name)) from exc
        self.settings = settings
        self.home = Path(home)
        self.path = self.home / "queue.json"
        self.printers = printers
        self.print_ticket = bool(conf["print_ticket"])
        self._clock = clock or (lambda: datetime.now(self.tz))

    def now(self) -> datetime:
        return self._clock().astimezone(self.tz)

    @staticmethod
    def _roll(doc: dict, today: date) -> None:
        """Start a new day when the local date has moved on; never go back to an earlier day."""
        day = doc.get("day")
        if day is None or today.isoformat() > day:
            doc.clear()
            doc.update({"day": today.isoformat(), "last": 0, "served": 0})

    def allocate(self) -> Ticket:
        """Take the next number, durably (on disk before it is returned). No printing."""
        now = self.now()
        with locked_document(self.path) as doc:
            self._roll(doc, now.date())
            number = int(doc["last"]) + 1
            doc["last"] = number
            doc["issued_at"] = now.isoformat(timespec="seconds")
            waiting_before = max(0, number - 1 - int(doc.get("served", 0)))
            return Ticket(number, doc["day"], now.isoformat(timespec="seconds"), waiting_before)

    def take(self, print_ticket: bool | None = None) -> Ticket:
        """One press of the queue button: allocate a number, then print its ticket through the spool.

        The number is taken first and kept whatever happens to the printer: an offline or paper-out
        printer leaves the ticket's job kept in the spool (it prints when the printer is back) and the
        number stands. Returns at once; the job id is on the ticket."""
        ticket = self.allocate()
        if not (self.print_ticket if print_ticket is None else print_ticket) or self.printers is None:
            return ticket
        printer = self.printers.default_for("ticket")
        if printer is None:
            return ticket
        from appliance.printing.spool import SpoolError
        from appliance.render.ticket import render_ticket
        from appliance.village import VillageProfile

        profile, paper_mm = self.printers.escpos_profile(printer)
        data = render_ticket(ticket, VillageProfile.from_settings(self.settings), profile, paper_mm)
        try:
            job = self.printers.spool.submit(printer=printer, kind="ticket", content={"escpos": data},
                                             ref=f"antrean-{ticket.day}-{ticket.number:03d}")
        except SpoolError as exc:  # e.g. the ticket printer takes no ESC/POS: the number still stands
            log.warning("queue: ticket %s not submitted: %s", ticket.number, exc.key)
            return ticket._replace(problem=str(exc))
        return ticket._replace(job_id=job.id)

    def status(self) -> QueueStatus:
        today = self.now().date()
        doc = read_document(self.path)
        self._roll(doc, today)
        last, served = int(doc.get("last", 0)), int(doc.get("served", 0))
        return QueueStatus(doc["day"], last, served, max(0, last - served), str(self.tz.key))

    def call_next(self) -> int | None:
        """The operator serves the next waiting number; returns it (None when nobody waits)."""
        with locked_document(self.path) as doc:
            self._roll(doc, self.now().date())
            if int(doc.get("served", 0)) >= int(doc["last"]):
                return None
            doc["served"] = int(doc.get("served", 0)) + 1
            return doc["served"]

    def reset(self) -> QueueStatus:
        """Start today's numbering again at 1 (the operator's decision, e.g. after a test morning)."""
        now = self.now()
        with locked_document(self.path) as doc:
            self._roll(doc, now.date())
            doc.update({"last": 0, "served": 0, "reset_at": now.isoformat(timespec="seconds")})
        return self.status()
