"""Workbooks shaped to hurt (issue 14, items 5 and 9).

A 2 KB workbook with one cell at XFD1048576 made the reader allocate a dense 16384 x 1048576 grid
(SIGABRT, which in the kiosk kills the UI); one at U1000000 peaked at 680 MB. The sheet's declared and
actual dimensions are checked before it is read. The resident sheet is the first visible one.
"""

import io
import resource
import subprocess
import sys
import zipfile

import pytest

from appliance.residents.importers import FileError, read_table
from appliance.residents.model import DATA_FIELDS
from tests.residents.conftest import GOOD

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>')
_SHEET_CT = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets>'
       '</workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">{rels}</Relationships>')
_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet{n}.xml"/>')


def _cell(ref: str, value) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet(rows: list[list], extra: str = "", dimension: str | None = None) -> str:
    body = "".join(f'<row r="{r}">' + "".join(_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, start=1))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            f'2006/main">{dim}<sheetData>{body}{extra}</sheetData></worksheet>')


def workbook(*sheets: tuple[str, str, str | None]) -> bytes:
    """An .xlsx from (name, sheet XML, state) triples, written by hand: nothing a library would tidy up."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT.format(sheets="".join(_SHEET_CT.format(n=n)
                                                                    for n in range(1, len(sheets) + 1))))
        z.writestr("_rels/.rels", _ROOT_RELS)
        entries = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"' + (f' state="{state}"' if state else "")
                          + "/>" for n, (name, _, state) in enumerate(sheets, start=1))
        z.writestr("xl/workbook.xml", _WB.format(sheets=entries))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels="".join(_REL.format(n=n) for n in
                                                                              range(1, len(sheets) + 1))))
        for n, (_, xml, _) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{n}.xml", xml)
    return out.getvalue()


RESIDENT_ROWS = [list(DATA_FIELDS), [GOOD[f] for f in DATA_FIELDS]]

BOMB_CHILD = r"""
import resource, sys
limit = 400 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from appliance.residents.importers import FileError, read_table
try:
    table = read_table(sys.argv[1])
    rows = list(table.rows)
except FileError as exc:
    print("refused", exc.key)
else:
    print("read", len(rows))
"""


@pytest.mark.parametrize("where", ["XFD1048576", "U1000000", "XFD1"])
@pytest.mark.parametrize("declared", [None, "A1:B2"])
def test_a_far_away_cell_is_refused_before_reading_within_bounded_memory(tmp_path, where, declared):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(workbook(("Penduduk", _sheet(RESIDENT_ROWS, extra=f'<row r="{where.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
                                                  f'{_cell(where, "x")}</row>', dimension=declared), None)))
    assert path.stat().st_size < 2500
    child = subprocess.run([sys.executable, "-c", BOMB_CHILD, str(path)], capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split() == ["refused", "import.file.too_wide_or_long"]


def test_a_declared_dimension_past_the_limits_is_refused(tmp_path):
    path = tmp_path / "besar.xlsx"
    path.write_bytes(workbook(("Penduduk", _sheet(RESIDENT_ROWS, dimension="A1:XFD1048576"), None)))
    with pytest.raises(FileError) as caught:
        read_table(path)
    assert caught.value.key == "import.file.too_wide_or_long"


def test_the_first_visible_sheet_is_read_not_a_hidden_one(tmp_path):
    hidden = _sheet([["nik", "nama"], ["3404134501909999", "TERSEMBUNYI"]])
    path = tmp_path / "tersembunyi.xlsx"
    path.write_bytes(workbook(("Lama", hidden, "hidden"), ("Sangat", hidden, "veryHidden"),
                              ("Penduduk", _sheet(RESIDENT_ROWS), None)))
    table = read_table(path)
    rows = list(table.rows)
    assert table.header == list(DATA_FIELDS) and [r[1][table.header.index("nama")] for r in rows] == ["SRI RAHAYU"]


def test_a_normal_workbook_still_reads(tmp_path):
    path = tmp_path / "biasa.xlsx"
    path.write_bytes(workbook(("Penduduk", _sheet(RESIDENT_ROWS, dimension="A1:U2"), None)))
    assert len(list(read_table(path).rows)) == 1


def test_the_memory_limit_of_the_child_is_real():
    # The bomb test's bound means something only if the limit is enforced on this machine.
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    child = subprocess.run([sys.executable, "-c", "import resource; l=400*1024*1024; "
                            "resource.setrlimit(resource.RLIMIT_AS,(l,l)); b=bytearray(600*1024*1024)"],
                           capture_output=True, text=True, timeout=60)
    assert child.returncode != 0 and "MemoryError" in child.stderr


def test_a_formula_saved_without_its_value_is_refused_not_read_as_empty(semenit_home, tmp_path):
    from appliance.residents.importing import commit_import, plan_import
    from appliance.residents.store import ResidentStore

    store = ResidentStore.open(semenit_home)
    path = tmp_path / "awal.xlsx"
    path.write_bytes(workbook(("Penduduk", _sheet(RESIDENT_ROWS), None)))
    commit_import(plan_import(path, store), store)
    kk = f'<c r="B2" t="inlineStr"><is><t>{GOOD["no_kk"]}</t></is></c>'
    xml = _sheet(RESIDENT_ROWS).replace(kk, '<c r="B2"><f>CONCATENATE("3404","130101100001")</f></c>')
    path = tmp_path / "rumus.xlsx"
    path.write_bytes(workbook(("Penduduk", xml, None)))
    plan = plan_import(path, store, mode="update")
    assert [(i.row, i.key, i.column.split(" ")[0]) for i in plan.report.refused] == [
        (2, "import.row.formula_without_value", "no_kk")]
    assert store.get(GOOD["nik"]).no_kk == GOOD["no_kk"]


def test_a_csv_header_below_row_20_names_where_it_was_looked_for(tmp_path):
    from appliance.i18n import translate

    path = tmp_path / "judul.csv"
    path.write_text("\n".join(["LAPORAN PENDUDUK"] * 25 + [",".join(DATA_FIELDS), ",".join(GOOD.values())]))
    with pytest.raises(FileError) as caught:
        read_table(path)
    assert caught.value.key == "import.file.no_header"
    assert "1 sampai 20" in translate(caught.value.key, "id", **caught.value.params)
