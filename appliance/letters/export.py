"""The register as the village's Buku Agenda / Arsip Layanan: an .xlsx (real dates) and a .csv."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from appliance.letters.register import Register
from appliance.storage.atomic import atomic_write
from appliance.storage.cells import append_text_row, csv_cell

HEADERS = ("No", "Tanggal", "Jam", "Nomor Surat", "Kode", "Jenis Surat", "NIK", "Nama", "Keperluan",
           "Isian Lain", "Status", "Dicetak Ulang", "Alasan Pembatalan")
STATUS = {"issued": "Diterbitkan", "printed": "Dicetak", "failed": "Gagal cetak", "voided": "Dibatalkan"}
HISTORY_HEADERS = ("Urutan", "Waktu", "Nomor Surat", "Kejadian", "Keterangan")
EVENTS = {"issued": "Diterbitkan", "printed": "Dicetak", "failed": "Gagal cetak", "reprinted": "Dicetak ulang",
          "voided": "Dibatalkan"}


def rows(register: Register) -> list[tuple]:
    out = []
    for index, record in enumerate(sorted(register.letters().values(), key=lambda r: r.at), start=1):
        at = datetime.fromisoformat(record.at) if record.at else None
        fields = dict(record.fields)
        purpose = fields.pop("keperluan", "")
        others = "; ".join(f"{k}: {v}" for k, v in fields.items() if v)
        out.append((index, date.fromisoformat(record.day) if record.day else None,
                    at.time().replace(tzinfo=None) if at else None, record.number, record.code, record.title,
                    record.nik, record.nama, purpose, others, STATUS.get(record.status, record.status),
                    record.reprints, record.void_reason))
    return out


def export_register(register: Register, dest: str | Path) -> tuple[Path, Path, int]:
    """Write DEST.xlsx and DEST.csv (DEST a folder: register-YYYYMMDD.*). Returns (xlsx, csv, letters)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    dest = Path(dest)
    if dest.suffix.lower() in (".xlsx", ".csv"):
        base = dest.with_suffix("")
    else:
        dest.mkdir(parents=True, exist_ok=True)
        base = dest / f"register-{date.today():%Y%m%d}"
    base.parent.mkdir(parents=True, exist_ok=True)
    data = rows(register)

    wb = Workbook()
    ws = wb.active
    ws.title = "Buku Agenda"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in data:
        append_text_row(ws, row)
    for cell in ws["B"][1:]:
        cell.number_format = "DD/MM/YYYY"
    for cell in ws["C"][1:]:
        cell.number_format = "HH:MM"
    for column, width in zip("ABCDEFGHIJKLM", (5, 12, 7, 24, 16, 36, 19, 28, 32, 40, 13, 8, 30), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    history = wb.create_sheet("Riwayat")
    history.append(HISTORY_HEADERS)
    for cell in history[1]:
        cell.font = Font(bold=True)
    for entry in register.entries():
        note = entry.get("reason") or entry.get("error") or entry.get("printer") or entry.get("title") or ""
        at = datetime.fromisoformat(entry["at"]).replace(tzinfo=None) if entry.get("at") else None
        append_text_row(history, (entry.get("i"), at, entry.get("number"),
                                  EVENTS.get(entry.get("event"), entry.get("event")), note))
    for cell in history["B"][1:]:
        cell.number_format = "DD/MM/YYYY HH:MM:SS"
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = base.with_suffix(".xlsx")
    atomic_write(xlsx, buf.getvalue(), mode=0o600)  # full NIKs: for the operator only

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for row in data:
        writer.writerow([v.isoformat() if isinstance(v, date) else ("" if v is None else
                         v.strftime("%H:%M") if hasattr(v, "strftime") else csv_cell(v)) for v in row])
    csv_path = base.with_suffix(".csv")
    atomic_write(csv_path, ("\ufeff" + text.getvalue()).encode("utf-8"), mode=0o600)
    return xlsx, csv_path, len(data)
