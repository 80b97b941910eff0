"""The operator's actions on the unit (the kiosk's operator menu and the CLI call these; no Kivy).

Each function is slow enough to run off the UI thread and returns the sentence the screen shows (from the
catalog). Failures a person can act on raise SemenitError (a catalog key); the screen shows its text.
The printer test page is rendered by the one renderer (appliance.render.testpage) for both callers.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from appliance.errors import SemenitError
from appliance.i18n import _
from appliance.storage.atomic import atomic_write

if TYPE_CHECKING:
    from appliance.printing.printers import PrinterSet
    from appliance.printing.spool import Job
    from appliance.services.unit import Unit


def recent_letters(unit: Unit, limit: int = 6) -> list[dict]:
    """The latest letters, newest first: number, type, who (name only), when, status."""
    records = list(unit.register.letters().values())
    records.sort(key=lambda r: (r.at, r.number), reverse=True)
    zone = ZoneInfo(unit.village.timezone)
    return [{"number": r.number, "type": r.code, "name": r.nama, "at": r.at, "when": _village_time(r.at, zone),
             "outcome": r.status} for r in records[:limit]]


def _village_time(at: str, zone: ZoneInfo) -> str:
    """A register time (UTC) as the village reads it: "01-12-2026 04:17" in its own zone, day first, the
    date the letter itself carries (a letter issued at 04:17 WIB is not "30-11 21:17")."""
    try:
        moment = datetime.fromisoformat(str(at))
    except ValueError:
        return str(at)[:16]
    return (moment.astimezone(zone) if moment.tzinfo else moment).strftime("%d-%m-%Y %H:%M")


def reprint(unit: Unit, number: str) -> str:
    unit.letter_service().reprint(number)
    return _("ui.letters_op.reprinted", number=number)


def void(unit: Unit, number: str, reason: str) -> str:
    unit.letter_service().void(number, reason)
    return _("ui.letters_op.voided", number=number)


def _stick_folder(unit: Unit, stick: Path) -> Path:
    folder = stick / str(unit.usb_conf.get("export_dir", "semenit-ekspor")) / unit.local_time().strftime("%Y%m%d-%H%M")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SemenitError("ui.operator.stick_readonly", folder=str(stick), error=exc.strerror or str(exc)) from exc
    return folder


def day_summary(unit: Unit) -> list[list[str]]:
    """Rows of the day's summary: letters per type and status today, voided ones, and the queue."""
    today = unit.local_time().date().isoformat()
    counts: dict[tuple[str, str], int] = {}
    for record in unit.register.letters().values():
        if record.day != today:
            continue
        key = (f"{record.code} {record.title}".strip(), record.status)
        counts[key] = counts.get(key, 0) + 1
    rows = [[_("ui.summary.date"), today], [], [_("ui.summary.type"), _("ui.summary.outcome"), _("ui.summary.count")]]
    rows += [[t, o, str(n)] for (t, o), n in sorted(counts.items())]
    rows += [[_("ui.summary.total"), "", str(sum(counts.values()))]]
    if unit.queue is not None:
        rows += [[], [_("ui.summary.queue"), str(unit.queue.status().last)]]
    rows += _deaths_reported(unit, unit.local_time().date())
    # The register's anchor for the secretary to sign and file: a code outside the machine (issue 12).
    _anchor, lines = unit.records.register_anchor(unit.local_time().date(), unit.village)
    rows += [[]] + [[line] for line in lines]
    return rows


def _deaths_reported(unit: Unit, day) -> list[list[str]]:
    """The deaths reported by a Kematian letter today, so the village register (OpenSID) is updated:
    the letter number, the name and the masked NIK (the full one is in the register under that number)."""
    from appliance.letters.deaths import reported_on
    from appliance.residents.nik import mask

    reported = reported_on(unit.home, day)
    if not reported:
        return []
    rows = [[], [_("ui.summary.deaths_title")], [_("ui.summary.death_number"), _("ui.summary.death_name"),
                                            _("ui.summary.death_nik"), _("ui.summary.death_date")]]
    for death in reported:
        resident = unit.store.get(death["nik"]) if unit.store is not None else None
        rows.append([death["number"], resident.nama if resident is not None else "", mask(death["nik"]),
                     str(death["died"])])
    return rows


def export_to_stick(unit: Unit) -> str:
    from appliance.letters.export import export_register
    from appliance.services.usb_export import writable_stick

    # The stick is read-only but for this block (a short read-write mount by the unit's helper).
    with writable_stick(unit.usb_conf["mount_dir"], unit.usb_conf["request_dir"]) as stick:
        folder = _stick_folder(unit, stick)
        export_register(unit.register, folder)
        buf = io.StringIO()
        csv.writer(buf).writerows(day_summary(unit))
        atomic_write(folder / f"ringkasan-{unit.local_time().date().isoformat()}.csv",
                     buf.getvalue().encode("utf-8-sig"), mode=0o600)
    # Where to find it on the stick (the unit's mount point means nothing to the operator).
    return _("ui.operator.exported", folder=str(folder.relative_to(stick)))


def held_text(unit: Unit) -> str:
    """Letters held after a printer fault (issue 15): one a line (number and when), or that none is."""
    rows = unit.held_list()
    if not rows:
        return _("ui.held.none")
    zone = ZoneInfo(unit.village.timezone)
    lines = [_("ui.held.line", number=h.number or h.job,
               time=datetime.fromtimestamp(h.held_at, zone).strftime("%d-%m %H:%M")) for h in rows]
    return "\n".join([_("ui.held.count", n=len(rows)), *lines, _("ui.held.stand_by")])


def release_held(unit: Unit) -> str:
    """The operator is at the printer: print every held letter now."""
    n = unit.release_held_letters()
    return _("ui.held.released", n=n) if n else _("ui.held.none")


def export_survey(unit: Unit, month: str | None = None) -> str:
    """A month's satisfaction answers and index (IKM) onto the USB stick as a spreadsheet (PermenPANRB
    14/2017); this month by default."""
    from appliance.services.survey import Survey
    from appliance.services.usb_export import writable_stick

    month = month or unit.local_time().strftime("%Y-%m")
    survey = Survey(unit.home, unit.village.timezone)
    with writable_stick(unit.usb_conf["mount_dir"], unit.usb_conf["request_dir"]) as stick:
        folder = _stick_folder(unit, stick)
        dest = survey.export(month, folder / f"survei-kepuasan-{month}.xlsx", _)
    result = survey.month_result(month)
    return _("ui.survey.exported", month=month, n=result.count, ikm=f"{result.ikm:.2f}", grade=result.grade,
             file=str(dest.relative_to(stick)))


def printer_test(unit: Unit) -> str:
    printers = unit.printers
    if printers is None:
        raise SemenitError("ui.home.no_printer")
    job = send_test_page(printers)
    return _("ui.operator.test_sent", printer=job.printer, state=printers.state(job.printer).message)


def send_test_page(printers: PrinterSet, name: str | None = None) -> Job:
    """The test page on `name` (default: the letter printer, else the ticket printer, else the first one),
    in the format it prints best; the job is spooled like any other (kept if the printer is not ready)."""
    from appliance.render.testpage import render_test_page

    name = name or printers.default_for("letter") or printers.default_for("ticket") or printers.names()[0]
    formats = printers.formats(name)
    fmt = "escpos" if "escpos" in formats and "pdf" not in formats else "pdf"
    profile, paper = printers.escpos_profile(name) if "escpos" in formats else ("default", 80)
    data = render_test_page(fmt, name, profile, paper)
    return printers.spool.submit(printer=name, kind="test", content={fmt: data}, ref="test")


def queue_reset(unit: Unit) -> str:
    if unit.queue is None:
        raise SemenitError("ui.problem.no_queue")
    unit.queue.reset()
    return _("ui.operator.queue_reset_done")


def profile_report(unit: Unit) -> str:
    v = unit.village
    lines = [
        f"{v.sebutan_desa} {v.nama_desa}, {v.sebutan_kecamatan} {v.nama_kecamatan}, {v.sebutan_kabupaten} {v.nama_kabupaten}",
        v.nama_provinsi,
        _("ui.profile.codes", kode_wilayah=v.kode_wilayah, kode_desa=v.kode_desa),
        v.alamat,
        _("ui.profile.residents", n=len(unit.store) if unit.store is not None else 0),
        _("ui.profile.letters", n=len(unit.catalog.templates) if unit.catalog is not None else 0),
    ]
    if unit.printers is not None:
        for state in unit.printers.states():
            lines.append(_("ui.profile.printer", name=state.name, state=state.message))
    if unit.problems:
        lines.append(_("ui.profile.problems"))
        lines += [f"• {area}: {text}" for area, text in unit.problems[:8]]
    else:
        lines.append(_("ui.profile.no_problems"))
    return "\n".join(lines)
