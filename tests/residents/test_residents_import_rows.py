"""Row-level problems are refused with row, column and reason; good rows still import."""

from datetime import date, timedelta

from appliance.residents.importing import commit_import, plan_import
from appliance.residents.store import ResidentStore
from tests.residents.conftest import person


def _plan(write_csv, semenit_home, rows, **kw):
    store = ResidentStore.open(semenit_home)
    return store, plan_import(write_csv(rows, **kw), store)


def test_each_row_problem_is_refused_with_its_reason(write_csv, semenit_home):
    future = (date.today() + timedelta(days=3)).isoformat()
    rows = [
        person(),  # row 2: good
        person(nik="34041345019000AB", nama="HURUF"),  # row 3
        person(nik="340413450190001", nama="LIMA BELAS"),  # row 4
        person(nik="34041345019000011", nama="TUJUH BELAS"),  # row 5
        person(nik="3404134501900005", tanggallahir="31-02-1990"),  # row 6
        person(nik="3404134501900006", tanggallahir=future),  # row 7
        person(nik="3404134501900007", agama_id="9"),  # row 8
        person(nik="3404134501900008", nama="KEMBAR SATU"),  # row 9
        person(nik="3404134501900008", nama="KEMBAR DUA"),  # row 10
        person(nik="3404134501900009", nama=""),  # row 11
        person(nik="3404134501900010", tanggallahir="kemarin"),  # row 12
    ]
    store, plan = _plan(write_csv, semenit_home, rows)
    refused = {(i.row, i.key) for i in plan.report.refused}
    assert refused == {
        (3, "import.row.nik.not_digits"), (4, "import.row.nik.length"), (5, "import.row.nik.length"),
        (6, "import.row.impossible_date"), (7, "import.row.future_date"), (8, "import.row.unknown_code"),
        (9, "import.row.duplicate_nik"), (10, "import.row.duplicate_nik"), (11, "import.row.no_name"),
        (12, "import.row.unreadable_date"),
    }
    by_row = {i.row: i for i in plan.report.refused}
    assert by_row[4].column.startswith("nik")
    assert by_row[4].params == {"digits": 15} and by_row[5].params == {"digits": 17}
    assert by_row[8].column.startswith("agama_id")
    text = plan.report.format_text("id")
    assert "Baris 4, kolom nik" in text and "NIK harus 16 angka, tertulis 15 angka" in text
    assert "Tanggal 31-02-1990 tidak ada di kalender" in text
    assert "Row 4, column nik" in plan.report.format_text("en")
    assert len(plan.report.added) == 1
    commit_import(plan, store)
    assert len(store) == 1


def test_a_nik_twice_keeps_the_single_living_row_with_a_warning(write_csv, semenit_home):
    rows = [person(nama="TIDAK VALID", status_dasar="9"), person(nama="YANG HIDUP", status_dasar="1")]
    store, plan = _plan(write_csv, semenit_home, rows)
    assert not plan.report.refused
    assert [(w.row, w.key) for w in plan.report.warnings if "duplicate" in w.key] == [
        (2, "import.warn.duplicate_kept_living")]
    commit_import(plan, store)
    assert store.get(rows[0]["nik"]).nama == "YANG HIDUP"


def test_nik_disagreeing_with_row_or_area_is_a_warning_not_a_refusal(write_csv, semenit_home):
    rows = [person(tanggallahir="1991-01-05"), person(nik="3301014501900002", nama="LUAR DAERAH"),
            person(nik="3404130501900003", nama="LAKI DI NIK")]
    store, plan = _plan(write_csv, semenit_home, rows)
    assert not plan.report.refused and len(plan.report.added) == 3
    keys = [(w.row, w.key) for w in plan.report.warnings]
    assert (2, "import.warn.nik_date_differs") in keys
    assert (3, "import.warn.nik_area") in keys
    assert (4, "import.warn.nik_sex_differs") in keys


def test_no_nik_yet_is_skipped_with_a_warning(write_csv, semenit_home):
    store, plan = _plan(write_csv, semenit_home, [person(), person(nik="0", nama="BAYI BARU")])
    assert [(w.row, w.key) for w in plan.report.warnings] == [(3, "import.row.no_nik_yet")]
    assert len(plan.report.added) == 1


def test_csv_dialects_semicolon_bom_and_windows_1252(write_csv, semenit_home):
    for kw in ({"delimiter": ";"}, {"encoding": "utf-8-sig"}, {"encoding": "cp1252"}):
        rows = [person(nama="JOSÉ ÑOÑO")]
        store = ResidentStore.open(semenit_home)
        plan = plan_import(write_csv(rows, **kw), store)
        assert plan.report.format == "csv" and len(plan.report.added) + len(plan.report.changed) + \
            plan.report.unchanged == 1, kw
        commit_import(plan, store)
        assert store.get(rows[0]["nik"]).nama == "JOSÉ ÑOÑO"


def test_headers_tolerate_case_spacing_and_siak_labels(write_csv, semenit_home):
    header = ["Nomor KK", " NIK ", "Nama Penduduk", "Jenis Kelamin", "Tanggal Lahir", "Status Kawin", "SHDK"]
    row = {"Nomor KK": "3404130101100001", " NIK ": "3404134501900001", "Nama Penduduk": "SRI",
           "Jenis Kelamin": "Perempuan", "Tanggal Lahir": "05/01/1990", "Status Kawin": "Kawin",
           "SHDK": "Istri"}
    store, plan = _plan(write_csv, semenit_home, [row], header=header)
    assert not plan.report.refused
    commit_import(plan, store)
    sri = store.get("3404134501900001")
    assert (sri.sex, sri.tanggallahir, sri.status_kawin, sri.kk_level) == (2, "1990-01-05", 2, 3)


def test_a_name_the_letters_cannot_print_is_a_warning(write_csv, semenit_home):
    """Javanese script, emoji or zero-width characters only: imported (the row is real), with a warning,
    so the operator learns now what the kiosk would otherwise only say to the resident."""
    rows = [person(nama="ÇAĞLA ŞENOL"),
            person(nik="3404134501900002", nama="ꦱꦸꦏꦂꦤꦺ"),
            person(nik="3404134501900003", nama="BUDI 😀"),
            person(nik="3404134501900004", nama="\u200b\u200b")]
    store, plan = _plan(write_csv, semenit_home, rows)
    assert len(plan.report.added) + len(plan.report.refused) == 4
    warned = sorted(w.row for w in plan.report.warnings if w.key == "import.warn.name_not_printable")
    refused = {r.row for r in plan.report.refused}
    assert 2 not in warned  # Latin letters with accents print
    assert {3, 4} <= set(warned)
    assert 5 in warned or 5 in refused  # a name of zero-width characters only is never silently taken
