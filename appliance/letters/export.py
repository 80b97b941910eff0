"""The register as the village's Buku Agenda / Arsip Layanan: .xlsx (real dates) and .csv, in two layouts.

- Today's table (HEADERS): one row per letter with every detail the kiosk knows, plus its history.
- The Buku Agenda of Permendagri 47/2016 on village administration (Lampiran, Buku Administrasi Umum,
  "Buku Agenda"): columns 1 Nomor Urut, 2 Tanggal Penerimaan/Pengiriman Surat, 3-6 Surat Masuk (Nomor,
  Tanggal, Pengirim, Isi Singkat), 7-10 Surat Keluar (Nomor, Tanggal, Ditujukan Kepada, Isi Singkat),
  11 Keterangan. Every kiosk letter is a surat keluar: "Ditujukan Kepada" is the resident it was issued
  to, "Isi Singkat" the type and purpose; the surat masuk columns stay empty for the office to fill.
  A voided letter keeps its row (its number was issued) and says DIBATALKAN and why in Keterangan.
"""

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


AGENDA_GROUPS = (("", 2), ("SURAT MASUK", 4), ("SURAT KELUAR", 4), ("", 1))
AGENDA_HEADERS = ("NOMOR URUT", "TANGGAL PENERIMAAN/ PENGIRIMAN SURAT", "NOMOR", "TANGGAL", "PENGIRIM",
                  "ISI SINGKAT", "NOMOR", "TANGGAL", "DITUJUKAN KEPADA", "ISI SINGKAT", "KETERANGAN")
AGENDA_SUFFIX = "-buku-agenda"


def agenda_rows(register: Register) -> list[tuple]:
    """One row per letter in the Permendagri 47/2016 Buku Agenda layout, in issue order."""
    out = []
    for record in sorted(register.letters().values(), key=lambda r: r.at):
        day = date.fromisoformat(record.day) if record.day else None
        fields = dict(record.fields)
        purpose = fields.get("keperluan", "")
        summary = f"{record.title}" + (f", untuk {purpose}" if purpose else "")
        notes = []
        if record.status == "voided":
            notes.append(f"DIBATALKAN: {record.void_reason}" if record.void_reason else "DIBATALKAN")
        elif record.status == "failed":
            notes.append("Gagal cetak")
        if record.reprints:
            notes.append(f"Dicetak ulang {record.reprints} kali")
        out.append((len(out) + 1, day, None, None, None, None, record.number, day, record.nama, summary,
                    "; ".join(notes)))
    return out


def _write_agenda(register: Register, base: Path) -> tuple[Path, Path]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    data = agenda_rows(register)
    wb = Workbook()
    ws = wb.active
    ws.title = "Buku Agenda"
    ws.append(("BUKU AGENDA",))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(AGENDA_HEADERS))
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(())
    col = 1
    for title, span in AGENDA_GROUPS:  # row 3: the groups; a column without a group spans both rows
        if title:
            ws.cell(3, col, title)
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
        else:
            for c in range(col, col + span):
                ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        col += span
    for c, header in enumerate(AGENDA_HEADERS, start=1):
        ws.cell(3 if c in (1, 2, 11) else 4, c, header)
    ws.append(tuple(range(1, len(AGENDA_HEADERS) + 1)))  # the column numbers, as on the annex's form
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=3, max_row=5):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for row in data:
        append_text_row(ws, row)
    for row in ws.iter_rows(min_row=6, max_row=5 + len(data)):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for index in (1, 7):
            row[index].number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJK", (7, 14, 12, 11, 16, 22, 26, 11, 28, 40, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A6"
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = base.with_name(base.name + AGENDA_SUFFIX).with_suffix(".xlsx")
    atomic_write(xlsx, buf.getvalue(), mode=0o600)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([title for title, span in AGENDA_GROUPS for _ in range(span)])
    writer.writerow(AGENDA_HEADERS)
    for row in data:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else csv_cell(v) for v in row])
    csv_path = base.with_name(base.name + AGENDA_SUFFIX).with_suffix(".csv")
    atomic_write(csv_path, ("\ufeff" + text.getvalue()).encode("utf-8"), mode=0o600)
    return xlsx, csv_path


def agenda_paths(xlsx: Path) -> tuple[Path, Path]:
    """Where export_register put the Permendagri 47/2016 Buku Agenda beside the table at `xlsx`."""
    base = xlsx.with_suffix("")
    agenda = base.with_name(base.name + AGENDA_SUFFIX)
    return agenda.with_suffix(".xlsx"), agenda.with_suffix(".csv")


def export_register(register: Register, dest: str | Path) -> tuple[Path, Path, int]:
    """Write DEST.xlsx and DEST.csv (DEST a folder: register-YYYYMMDD.*), and beside them the Buku Agenda
    of Permendagri 47/2016 as DEST-buku-agenda.xlsx/.csv (agenda_paths). Returns (xlsx, csv, letters)."""
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
    _write_agenda(register, base)
    return xlsx, csv_path, len(data)
