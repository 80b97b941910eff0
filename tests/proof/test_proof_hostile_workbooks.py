"""Property tests for the XLSX and XLS importers (the CSV rows, NIK and date parsers are covered in
tests/residents/test_residents_hostile.py): random cells in a real workbook, random and damaged bytes
behind each format's signature, macros and external links. No input crashes; every refusal is a
catalogued message naming the file; nothing is written by planning."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.i18n import catalog
from appliance.residents.importing import ImportRefused, plan_import
from appliance.residents.store import ResidentStore
from tests.conftest import FIXTURES_DIR

HEADER = ["nik", "no_kk", "nama", "sex", "tempatlahir", "tanggallahir", "agama_id", "status_kawin", "kk_level",
          "status_dasar", "rt", "rw", "dusun"]
CELL = st.one_of(st.none(), st.text(max_size=24).filter(lambda t: not any(ord(c) < 32 for c in t)),
                 st.integers(-10**17, 10**17), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                 st.dates(min_value=date(1900, 1, 1)), st.datetimes(min_value=datetime(1900, 1, 1)),
                 st.sampled_from(["3404135001900001", "L", "P", "ISLAM", "KAWIN", "BK", "1990-02-31", "31/12/1999",
                                  "###", "0", "=1+1", "HIDUP", "Tidak Valid"]))
SETTINGS = dict(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _plan(path, home):
    store = ResidentStore.open(home)
    try:
        plan = plan_import(path, store, mode="update")
    except ImportRefused as exc:
        assert exc.key in catalog(), exc.key
        assert exc.text("en").startswith(f"File {path.name} was refused")
        return "refused"
    for issue in plan.report.refused + plan.report.warnings:
        assert issue.key in catalog() and issue.describe("id")
    assert not (home / "residents.json").exists()  # planning writes nothing
    return "planned"


@settings(max_examples=120, **SETTINGS)
@given(st.lists(st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=8),
       st.permutations(HEADER))
def test_random_cells_in_an_xlsx_never_crash(tmp_path_factory, rows, header):
    home = tmp_path_factory.mktemp("home")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    path = home / "acak.xlsx"
    book.save(path)
    assert _plan(path, home) in ("refused", "planned")


@settings(max_examples=200, **SETTINGS)
@given(st.sampled_from(["contoh_penduduk.xlsx", "format_siak.xls"]),
       st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=16), st.integers(0, 64)), min_size=1,
                max_size=6))
def test_damaged_real_workbook_bytes_never_crash(tmp_path_factory, name, edits):
    """Overwrite, cut and insert bytes anywhere in the real OpenSID and SIAK files."""
    home = tmp_path_factory.mktemp("home")
    data = bytearray((FIXTURES_DIR / name).read_bytes())
    for where, blob, cut in edits:
        at = int(where * (len(data) - 1))
        data[at:at + cut] = blob
    path = home / ("rusak" + name[name.index("."):])
    path.write_bytes(bytes(data))
    assert _plan(path, home) in ("refused", "planned")


@settings(max_examples=150, **SETTINGS)
@given(st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b""]),
       st.binary(max_size=3000), st.sampled_from(["x.xlsx", "x.xls", "x.csv", "x"]))
def test_random_bytes_behind_each_signature_are_refused_or_read(tmp_path_factory, magic, body, name):
    home = tmp_path_factory.mktemp("home")
    path = home / name
    path.write_bytes(magic + body)
    assert _plan(path, home) in ("refused", "planned")


def _fixture_with(extra: dict[str, bytes], tmp_path, name: str):
    src = (FIXTURES_DIR / "contoh_penduduk.xlsx").read_bytes()
    out = tmp_path / name
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        for member, content in extra.items():
            zout.writestr(member, content)
    return out


def test_a_workbook_with_macros_is_refused_with_a_message(tmp_path):
    for name in ("makro.xlsm", "makro.xlsx"):  # renamed to .xlsx it is still refused, from its content
        path = _fixture_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}, tmp_path, name)
        home = tmp_path / name.replace(".", "_")
        home.mkdir()
        store = ResidentStore.open(home)
        try:
            plan_import(path, store)
        except ImportRefused as exc:
            assert exc.key == "import.file.macros" and name in exc.text("id")
        else:
            raise AssertionError(f"{name}: a workbook with macros was accepted")


def test_a_workbook_with_external_links_reads_only_its_own_cells(tmp_path):
    """External links are never followed (no network, no other file): the cells' saved values are read."""
    link = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"/></externalLink>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/externalLinkPath" Target="file:///etc/shadow" '
            b'TargetMode="External"/></Relationships>')
    path = _fixture_with({"xl/externalLinks/externalLink1.xml": link,
                          "xl/externalLinks/_rels/externalLink1.xml.rels": rels}, tmp_path, "tautan.xlsx")
    home = tmp_path / "home"
    home.mkdir()
    plan = plan_import(path, ResidentStore.open(home))
    assert len(plan.rows) == 97  # the same 97 residents as the plain file
