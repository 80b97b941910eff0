"""The operator's daily summary on paper ("Ringkasan harian"): the day's letters and the register's anchor.

Why paper: the register's keys live on the unit, so whoever holds the unit could rewrite the register and
sign it again, and the unit alone could not tell. The anchor (the chain head as a short code, see
appliance.letters.register) printed here is signed and filed by the village secretary: typed back into
`semenit register verify --anchor CODE` it names the entries cut off or changed since it was printed.

It goes to the letter printer (official paper, as PDF where it takes PDF) or, in a unit with only a ticket
printer, to that one as ESC/POS, through the spool like every job: kept when the printer is not ready,
never printed twice. Each printed anchor is noted in the register's anchors file with its printer.
No Kivy, no printer class: the operator screen and `semenit register anchor --print` call this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.errors import SemenitError
from appliance.i18n import _

if TYPE_CHECKING:
    from appliance.letters.register import Anchor, Register
    from appliance.printing.printers import PrinterSet
    from appliance.printing.spool import Job
    from appliance.services.unit import Unit
    from appliance.village import VillageProfile

JOB_KIND = "summary"


@dataclass(frozen=True)
class DaySummary:
    """What the paper states: whose office, which day, the letters issued that day, the anchor."""

    village: str  # "Kalurahan Triharjo"
    secretary: str  # who signs and files it: "Carik", or "Sekretaris Kalurahan" when the profile names nobody
    district: str  # "Kapanewon Sleman, Kabupaten Sleman"
    day: str  # ISO date, in the village's time zone
    issued: int
    first: str  # the day's first and last letter numbers ("" when none was issued)
    last: str
    anchor: Anchor


def secretary_title(village: VillageProfile) -> str:
    """The title of who signs and files the summary: the profile's `sekretaris` official, else the generic
    "Sekretaris <sebutan_desa>"."""
    official = village.secretary
    return official.jabatan if official is not None else _("letters.summary.secretary_default",
                                                           sebutan=village.sebutan_desa)


def summary_due(register: Register, day: str) -> bool:
    """Whether a letter issued on `day` is not on a summary printed that day yet (the operator menu says
    so, until the summary is printed again)."""
    letters = register.issued_on(day)
    if not letters:
        return False
    covered = max((note["count"] for note in register.anchor_notes() if note.get("day") == day and note.get("printer")),
                  default=0)
    return any(int(record.events[0].get("i", 0)) >= covered for record in letters)


def summary_printer(printers: PrinterSet, name: str | None = None) -> str:
    """The printer for the summary: `name`, else the letter printer, else the ticket printer."""
    chosen = name or printers.default_for("letter") or printers.default_for("ticket")
    if chosen is None:
        raise SemenitError("letters.summary.no_printer")
    printers.printer(chosen)  # an unknown name is refused here, with its one line
    return chosen


def make_summary(register: Register, village: VillageProfile, day: str) -> DaySummary:
    """Today's figures and the register's head as it is now (noted once it is on its way to paper)."""
    letters = register.issued_on(day)
    anchor = register.head_anchor()
    return DaySummary(
        village=f"{village.sebutan_desa} {village.nama_desa}", secretary=secretary_title(village),
        district=f"{village.sebutan_kecamatan} {village.nama_kecamatan}, {village.sebutan_kabupaten} "
                 f"{village.nama_kabupaten}",
        day=day, issued=len(letters), first=letters[0].number if letters else "",
        last=letters[-1].number if letters else "", anchor=anchor)


def send_day_summary(printers: PrinterSet, register: Register, village: VillageProfile, day: str,
                     name: str | None = None) -> tuple[Job, DaySummary]:
    """Render the summary in the format the chosen printer takes best and spool it."""
    from appliance.render import render

    printer = summary_printer(printers, name)
    formats = printers.formats(printer)
    fmt = "escpos" if "escpos" in formats and "pdf" not in formats else "pdf"
    profile, paper = printers.escpos_profile(printer) if fmt == "escpos" else ("default", 80)
    summary = make_summary(register, village, day)
    data = render("day_summary", fmt, summary, profile=profile, paper_mm=paper)
    job = printers.spool.submit(printer=printer, kind=JOB_KIND, content={fmt: data}, ref=f"ringkasan-{day}")
    register.note_anchor(summary.anchor, day, printer=printer, job=job.id)
    return job, summary


def spool_day_summary(unit: Unit, printer: str | None = None) -> tuple[Job, DaySummary]:
    """Today's summary spooled on `printer` (the best one when None); its code noted in the register."""
    if unit.printers is None:
        raise SemenitError("letters.summary.no_printer")
    return send_day_summary(unit.printers, unit.register, unit.village, unit.local_time().date().isoformat(),
                            printer)


def day_summary_due(unit: Unit) -> bool:
    """Today's letters are not all on a printed summary yet."""
    return summary_due(unit.register, unit.local_time().date().isoformat())


def print_day_summary(unit: Unit) -> str:
    """The operator menu's "Ringkasan harian": today's summary on paper; the sentence the screen shows."""
    job, summary = spool_day_summary(unit)
    assert unit.printers is not None  # spool_day_summary refused otherwise
    return _("letters.summary.sent", printer=job.printer, state=unit.printers.state(job.printer).message,
             code=summary.anchor.text, secretary=summary.secretary)
