"""What the operator menu does, with no Kivy: each function runs in a worker thread and returns the
sentence the screen shows (from the catalog). Errors are raised and shown by the screen.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from appliance.i18n import _
from appliance.storage.atomic import atomic_write


def _now(backend) -> datetime:
    try:
        return datetime.now(ZoneInfo(backend.village.timezone))
    except Exception:  # noqa: BLE001
        return datetime.now()


def _letters(backend):
    if backend.letters is None:
        raise RuntimeError(_("ui.problem.no_letters"))
    return backend.letters


def _register(backend):
    """The letter register (append-only, hash-chained) of the letters area."""
    return _letters(backend).register


def recent_letters(backend, limit: int = 6) -> list[dict]:
    """The latest letters, newest first: number, type, who (name only), when, status."""
    records = list(_register(backend).letters().values())
    records.sort(key=lambda r: (r.at, r.number), reverse=True)
    return [{"number": r.number, "type": r.code, "name": r.nama, "at": r.at, "outcome": r.status}
            for r in records[:limit]]


def reprint(backend, number: str) -> str:
    _letters(backend).reprint(number)
    return _("ui.letters_op.reprinted", number=number)


def void(backend, number: str, reason: str) -> str:
    _letters(backend).void(number, reason)
    return _("ui.letters_op.voided", number=number)


def _stick_folder(backend, stick: Path) -> Path:
    folder = stick / str(backend.usb_conf.get("export_dir", "semenit-ekspor")) / _now(backend).strftime("%Y%m%d-%H%M")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RuntimeError(_("ui.operator.stick_readonly", folder=str(stick), error=exc.strerror or str(exc))) from exc
    return folder


def day_summary(backend) -> list[list[str]]:
    """Rows of the day's summary: letters per type and status today, voided ones, and the queue."""
    today = _now(backend).date().isoformat()
    counts: dict[tuple[str, str], int] = {}
    for record in _register(backend).letters().values():
        if record.day != today:
            continue
        key = (f"{record.code} {record.title}".strip(), record.status)
        counts[key] = counts.get(key, 0) + 1
    rows = [[_("ui.summary.date"), today], [], [_("ui.summary.type"), _("ui.summary.outcome"), _("ui.summary.count")]]
    rows += [[t, o, str(n)] for (t, o), n in sorted(counts.items())]
    rows += [[_("ui.summary.total"), "", str(sum(counts.values()))]]
    if backend.queue is not None:
        try:
            status = backend.queue.status()
            last = status.get("last") if isinstance(status, dict) else getattr(status, "last", None)
            if last is not None:
                rows += [[], [_("ui.summary.queue"), str(last)]]
        except Exception:  # noqa: BLE001 - the summary still has the letters
            pass
    return rows


def export_to_stick(backend) -> str:
    from appliance.letters.export import export_register
    from appliance.services.usb_export import writable_stick

    # The stick is read-only but for this block (a short read-write mount by the unit's helper).
    with writable_stick(backend.usb_conf["mount_dir"], backend.usb_conf["request_dir"]) as stick:
        folder = _stick_folder(backend, stick)
        export_register(_register(backend), folder)
        buf = io.StringIO()
        csv.writer(buf).writerows(day_summary(backend))
        atomic_write(folder / f"ringkasan-{_now(backend).date().isoformat()}.csv", buf.getvalue().encode("utf-8-sig"))
    # Where to find it on the stick (the unit's mount point means nothing to the operator).
    return _("ui.operator.exported", folder=str(folder.relative_to(stick)))


def printer_test(backend) -> str:
    printers = backend.printers
    if printers is None:
        raise RuntimeError(_("ui.home.no_printer"))
    test = getattr(printers, "test_page", None) or getattr(printers, "test", None)
    name = printers.default_for("letter") or printers.default_for("ticket") or (printers.names() or [None])[0]
    if callable(test):
        test(name)
    else:
        text = _("ui.operator.test_page", village=f"{backend.village.sebutan_desa} {backend.village.nama_desa}",
                 time=_now(backend).strftime("%Y-%m-%d %H:%M"))
        formats = printers.formats(name)
        if "escpos" in formats:
            content = {"escpos": b"\x1b@" + text.encode("ascii", "replace") + b"\n\n\n\x1dV\x00"}
        else:
            content = {"pdf": _test_pdf(text)}
        printers.spool.submit(printer=name, kind="test", content=content, ref="test")
    state = printers.state(name)
    return _("ui.operator.test_sent", printer=name, state=state.message)


def _test_pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica-Bold", 24)
    for i, line in enumerate(text.splitlines()):
        c.drawString(72, 760 - i * 32, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def queue_reset(backend) -> str:
    if backend.queue is None:
        raise RuntimeError(_("ui.problem.no_queue"))
    backend.queue.reset()
    return _("ui.operator.queue_reset_done")


def profile_report(backend) -> str:
    v = backend.village
    lines = [
        f"{v.sebutan_desa} {v.nama_desa}, {v.sebutan_kecamatan} {v.nama_kecamatan}, {v.sebutan_kabupaten} {v.nama_kabupaten}",
        v.nama_provinsi,
        _("ui.profile.codes", kode_wilayah=v.kode_wilayah, kode_desa=v.kode_desa),
        v.alamat,
        _("ui.profile.residents", n=len(backend.store) if backend.store is not None else 0),
        _("ui.profile.letters", n=len(backend.catalog.templates) if backend.catalog is not None else 0),
    ]
    if backend.printers is not None:
        for state in backend.printers.states():
            lines.append(_("ui.profile.printer", name=state.name, state=state.message))
    if backend.problems:
        lines.append(_("ui.profile.problems"))
        lines += [f"• {area}: {text}" for area, text in backend.problems[:8]]
    else:
        lines.append(_("ui.profile.no_problems"))
    return "\n".join(lines)
