"""Every bad file is refused with one clear line naming the file, a non-zero exit, and the store untouched."""

import io
import os
import zipfile

import openpyxl
import pytest

from appliance.cli import main
from tests.residents.conftest import person


def _xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _bad_files(tmp_path, FIXTURES):
    good = (FIXTURES / "contoh_penduduk.xlsx").read_bytes()
    files = {}
    (tmp_path / "kosong.csv").write_bytes(b"")
    files["kosong.csv"] = "File kosong"
    (tmp_path / "foto.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(2000))
    files["foto.jpg"] = "Format file tidak dikenal"
    (tmp_path / "sampah.xlsx").write_bytes(os.urandom(5000).replace(b"PK", b"QK"))
    files["sampah.xlsx"] = "Format file tidak dikenal"
    (tmp_path / "terpotong.xlsx").write_bytes(good[: len(good) // 2])
    files["terpotong.xlsx"] = "rusak atau terpotong"
    # A workbook whose sheet unpacks to 600 MB of zeros: refused before anything is decompressed.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(600):
                member.write(chunk)
    (tmp_path / "bom.xlsx").write_bytes(bomb.getvalue())
    files["bom.xlsx"] = "jauh terlalu besar"
    big = tmp_path / "raksasa.csv"
    with big.open("wb") as fh:
        fh.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    files["raksasa.csv"] = "File terlalu besar"
    _xlsx(tmp_path / "kolom_asing.xlsx", [["nik", "nama", "tanggal_lahirr"], ["3404134501900001", "SRI", "x"]])
    files["kolom_asing.xlsx"] = "Kolom 'tanggal_lahirr' (kolom C) tidak dikenal"
    _xlsx(tmp_path / "tanpa_nik.xlsx", [["nama", "alamat"], ["SRI", "JETIS"]])
    files["tanpa_nik.xlsx"] = "Kolom wajib tidak ada: nik"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(["nik", "nama"])
    for _ in range(100_000):
        sheet.append([None, ""])
    book.save(tmp_path / "baris_kosong.xlsx")
    files["baris_kosong.xlsx"] = "Tidak ada data penduduk"
    macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\0" * 100)
    (tmp_path / "makro.xlsx").write_bytes(macro.getvalue())
    files["makro.xlsx"] = "makro"
    return files


def test_bad_files_change_nothing(resident_store, tmp_path, FIXTURES, capsys):
    before = resident_store.path.read_bytes()
    for name, phrase in _bad_files(tmp_path, FIXTURES).items():
        capsys.readouterr()
        status = main(["import", str(tmp_path / name)])
        err = capsys.readouterr().err.strip()
        assert status == 1, name
        assert len(err.splitlines()) == 1, err
        assert err.startswith(f"File {name} ditolak") and phrase in err, err
        assert "tidak diubah" in err
        assert resident_store.path.read_bytes() == before, name
    assert len(list(resident_store.backup_dir.glob("*"))) == 0


def test_refusal_in_english_and_json(resident_store, tmp_path, capsys):
    (tmp_path / "kosong.csv").write_bytes(b"")
    assert main(["import", str(tmp_path / "kosong.csv"), "--lang", "en"]) == 1
    assert capsys.readouterr().err.strip() == (
        "File kosong.csv was refused: The file is empty. The resident data was not changed.")


@pytest.mark.parametrize("mode", ["full", "update"])
def test_dry_run_changes_nothing(resident_store, write_csv, mode, capsys):
    before = resident_store.path.read_bytes()
    assert main(["import", str(write_csv([person()])), "--dry-run", "--mode", mode]) == 0
    out = capsys.readouterr().out
    assert "Baru: 1" in out and "Uji coba" in out
    assert resident_store.path.read_bytes() == before
