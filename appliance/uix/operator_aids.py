"""The operator's side of the resident aids (issue 15): letters held after a printer fault, and the month's
satisfaction survey. Thin over appliance.services (held_letters, survey); no Kivy here, so the same calls
serve the operator menu and tests.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from appliance.i18n import _
from appliance.services.held_letters import HeldLetters
from appliance.services.survey import Survey
from appliance.uix import operator_actions as actions


def _held(backend) -> HeldLetters | None:
    return HeldLetters(backend.home, backend.printers.spool) if backend.printers is not None else None


def held_text(backend) -> str:
    """What is held, one letter a line (number and when), or that nothing is."""
    held = _held(backend)
    rows = held.list() if held is not None else []
    if not rows:
        return _("ui.held.none")
    zone = ZoneInfo(backend.village.timezone)
    lines = [_("ui.held.line", number=h.number or h.job, time=datetime.fromtimestamp(h.held_at, zone).strftime("%d-%m %H:%M"))
             for h in rows]
    return "\n".join([_("ui.held.count", n=len(rows)), *lines, _("ui.held.stand_by")])


def release_held(backend) -> str:
    """The operator is at the printer: print every held letter now."""
    held = _held(backend)
    rows = held.list() if held is not None else []
    for h in rows:
        held.release(h.job)
    return _("ui.held.released", n=len(rows)) if rows else _("ui.held.none")


def export_survey(backend, month: str | None = None) -> str:
    """This month's answers and index (IKM) onto the USB stick as a spreadsheet."""
    zone = backend.village.timezone
    month = month or datetime.now(ZoneInfo(zone)).strftime("%Y-%m")
    folder = actions._stick_folder(backend)
    survey = Survey(backend.home, zone)
    dest = survey.export(month, folder / f"survei-kepuasan-{month}.xlsx", _)
    os.sync()
    result = survey.month_result(month)
    return _("ui.survey.exported", month=month, n=result.count, ikm=f"{result.ikm:.2f}", grade=result.grade,
             file=dest.name)
