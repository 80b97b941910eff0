"""Queue numbers (nomor antrean): one press of the button, or `semenit queue take`, gives the next number.

The counter lives in `home/queue.json`, changed under a lock and written atomically with fsync before
the number is handed out (appliance.storage.document), so a power cut or `kill -9` never repeats or
skips a number, and two processes (the kiosk and the CLI) never hand out the same one.

Numbers restart at 1 at local midnight in the settings' timezone ([queue] timezone, else the village's,
else Asia/Jakarta). A Pi 4 has no real-time clock, so the wall clock may jump either way (a wrong time
at boot, then NTP). Each change stores a steady stamp (appliance.storage.steady) beside the day:
  - the clock says a later day: a new day, unless the real time since the last number shows it was
    given today by the current clock (NTP moved the clock forward): then the day is relabelled, numbers go on;
  - the clock says an earlier day than the stored one: numbering continues (never repeat a number), until
    the real time since the last number shows a real day has passed: then a new day starts (a clock that
    once jumped forward no longer freezes the queue on a future date);
  - across a reboot the real time is unknown: only a later day by the clock starts a new day.
`reset` always starts today's numbering on today's date (the operator's way out of anything odd).

`waiting_before` is how many tickets of today are not yet served: the operator screen calls
`call_next()` as each person is served; with nobody calling, it is every number before yours.

This is core code: no hardware. The ticket is rendered by appliance.render.ticket and printed through
the spool (kind "ticket") when a printer set is given.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from appliance.config import Settings
from appliance.errors import SemenitError
from appliance.storage import steady as steady_clock
from appliance.storage.document import locked_document, read_document

DEFAULTS = {
    "timezone": "",  # empty: the village's timezone ([village] timezone), else Asia/Jakarta
    "print_ticket": True,
}
FALLBACK_TZ = "Asia/Jakarta"
log = logging.getLogger(__name__)


class QueueError(SemenitError):
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
    def __init__(self, settings: Settings, home: Path, printers=None, clock=None, steady=None):
        conf = settings.section("queue", DEFAULTS)
        tz_name = str(conf["timezone"] or settings.section("village", {}).get("timezone") or FALLBACK_TZ)
        try:
            self.tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise QueueError("queue.error.timezone", tz=tz_name) from exc
        self.settings = settings
        self.home = Path(home)
        self.path = self.home / "queue.json"
        self.printers = printers
        self.print_ticket = bool(conf["print_ticket"])
        self._clock = clock or (lambda: datetime.now(self.tz))
        # A test that drives the clock gets real time that follows it, unless it passes its own.
        self._steady = steady or (steady_clock.following(self._clock) if clock else steady_clock.stamp)

    def now(self) -> datetime:
        return self._clock().astimezone(self.tz)

    def _roll(self, doc: dict, now: datetime) -> None:
        """Start a new day when a real day has begun (see the module docstring); stamp the document."""
        today = now.date().isoformat()
        day = doc.get("day")
        current = self._steady()
        elapsed = steady_clock.real_elapsed(doc.get("steady"), current)
        # The local date, by the current clock, on which the last change really happened.
        last_day = None if elapsed is None else (now - timedelta(seconds=elapsed)).date().isoformat()
        if not isinstance(day, str) or (today > day and last_day != today) or (
                today < day and last_day is not None and last_day < today):
            doc.clear()
            doc.update({"day": today, "last": 0, "served": 0})
        elif today > day:
            doc["day"] = today  # the clock moved forward onto the day the last number was really given
        doc["steady"] = current

    def allocate(self) -> Ticket:
        """Take the next number, durably (on disk before it is returned). No printing."""
        now = self.now()
        with locked_document(self.path) as doc:
            self._roll(doc, now)
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
        doc = read_document(self.path)
        self._roll(doc, self.now())
        last, served = int(doc.get("last", 0)), int(doc.get("served", 0))
        return QueueStatus(doc["day"], last, served, max(0, last - served), str(self.tz.key))

    def call_next(self) -> int | None:
        """The operator serves the next waiting number; returns it (None when nobody waits)."""
        with locked_document(self.path) as doc:
            self._roll(doc, self.now())
            if int(doc.get("served", 0)) >= int(doc["last"]):
                return None
            doc["served"] = int(doc.get("served", 0)) + 1
            return doc["served"]

    def reset(self) -> QueueStatus:
        """Start today's numbering again at 1 (the operator's decision, e.g. after a test morning)."""
        now = self.now()
        # The operator's way out of a damaged queue.json too: it is set aside and today starts again.
        with locked_document(self.path, rebuild_if_damaged=True) as doc:
            doc.clear()
            doc.update({"day": now.date().isoformat(), "last": 0, "served": 0, "steady": self._steady(),
                        "reset_at": now.isoformat(timespec="seconds")})
        return self.status()
