"""The Buku Agenda in the layout of Permendagri 47/2016 (Lampiran, Buku Administrasi Umum: Buku Agenda),
written by `semenit register export` beside today's table: .xlsx and .csv, one row per letter, voided marked."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import orjson

from appliance.cli import main
from appliance.letters.export import AGENDA_HEADERS, agenda_paths, export_register
from appliance.letters.register import Register


def _register(home) -> Register:
    register = Register(home)
    for n, (code, title, purpose) in enumerate((("PENGANTAR", "Surat Pengantar", "Melamar pekerjaan"),
                                                 ("SKTM", "Surat Keterangan Tidak Mampu", ""),
                                                 ("DOMISILI", "Surat Keterangan Domisili", "Pengurusan BPJS")), 1):
        number = f"400.12.2.1/{n:03d}/TRJ/XI/2026"
        register.append("issued", number, code=code, title=title, nik=f"34041350019000{n:02d}",
                        nama=f"WARGA {n}", fields={"keperluan": purpose} if purpose else {}, day="2026-11-28",
                        qr="", snapshot={})
        register.append("printed", number, job=f"job{n}", printer="file")
    register.append("voided", "400.12.2.1/002/TRJ/XI/2026", reason="Data keliru")
    register.append("reprinted", "400.12.2.1/003/TRJ/XI/2026", job="job9", printer="file")
    return register


def test_the_agenda_has_the_eleven_columns_and_marks_voided_letters(semenit_home, tmp_path):
    xlsx, _csv, count = export_register(_register(semenit_home), tmp_path / "agenda.xlsx")
    agenda_xlsx, agenda_csv = agenda_paths(xlsx)
    assert count == 3 and agenda_xlsx.name == "agenda-buku-agenda.xlsx"
    ws = openpyxl.load_workbook(agenda_xlsx)["Buku Agenda"]
    assert ws["A1"].value == "BUKU AGENDA"
    assert (ws["C3"].value, ws["G3"].value) == ("SURAT MASUK", "SURAT KELUAR")
    headers = [ws.cell(3 if c in (1, 2, 11) else 4, c).value for c in range(1, 12)]
    assert tuple(headers) == AGENDA_HEADERS
    assert [c.value for c in ws[5]] == list(range(1, 12))  # the annex numbers its columns
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    assert len(rows) == 3 and [r[0] for r in rows] == [1, 2, 3]
    first, voided, reprinted = rows
    assert isinstance(first[1], dt.datetime) and first[1].date() == dt.date(2026, 11, 28)
    assert first[2:6] == [None] * 4  # surat masuk: for the office to fill
    assert first[6] == "400.12.2.1/001/TRJ/XI/2026" and first[8] == "WARGA 1"
    assert first[9] == "Surat Pengantar, untuk Melamar pekerjaan" and first[10] in (None, "")
    assert voided[9] == "Surat Keterangan Tidak Mampu" and voided[10] == "DIBATALKAN: Data keliru"
    assert reprinted[10] == "Dicetak ulang 1 kali"
    with agenda_csv.open(encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][2] == "SURAT MASUK" and lines[0][6] == "SURAT KELUAR" and tuple(lines[1]) == AGENDA_HEADERS
    assert lines[3][6] == "400.12.2.1/002/TRJ/XI/2026" and lines[3][10] == "DIBATALKAN: Data keliru"


def test_the_cli_names_both_layouts(semenit_home, tmp_path, capsys):
    _register(semenit_home)
    assert main(["register", "export", str(tmp_path / "out"), "--json"]) == 0
    out = orjson.loads(capsys.readouterr().out)
    for key in ("xlsx", "csv", "agenda_xlsx", "agenda_csv"):
        assert (tmp_path / "out").samefile(Path(out[key]).parent)
        assert Path(out[key]).is_file()
