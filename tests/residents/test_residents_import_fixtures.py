"""The real OpenSID and SIAK files import as they are."""

from datetime import date

from appliance.residents.importing import commit_import, plan_import
from appliance.residents.store import ResidentStore


def test_opensid_workbook_imports_all_97_residents_with_warnings(semenit_home, FIXTURES):
    store = ResidentStore.open(semenit_home)
    plan = plan_import(FIXTURES / "contoh_penduduk.xlsx", store)
    report = plan.report
    assert report.format == "xlsx"
    assert len(report.added) == 97 and not report.refused
    keys = {w.key for w in report.warnings}
    assert "import.warn.nik_date_differs" in keys  # the anonymised sample's NIKs are a year off
    assert all(w.row and w.column.startswith("nik") for w in report.warnings)
    assert commit_import(plan, store)
    assert len(store) == 97
    assert len({r.dusun for r in store}) == 4
    adini = store.get("5201145003976995")
    assert adini.nama == "ADINI SEPTIA LISTA" and adini.sex == 2 and adini.tanggallahir == "1996-03-10"
    assert (adini.rw, adini.rt, adini.dusun) == ("-", "004", "MANGSIT")
    assert adini.label("pekerjaan_id") == "MENGURUS RUMAH TANGGA" and adini.present
    family = store.family(adini.no_kk)
    assert family[0].kk_level == 1 and adini in family


def test_siak_export_imports_17_residents_words_and_serial_dates(semenit_home, FIXTURES):
    store = ResidentStore.open(semenit_home)
    plan = plan_import(FIXTURES / "format_siak.xls", store)
    assert plan.report.format == "xls" and not plan.report.refused
    assert len(plan.report.added) == 17
    kept = [w for w in plan.report.warnings if w.key == "import.warn.duplicate_kept_living"]
    assert [w.row for w in kept] == [11]  # the 'Tidak Valid' row of 1000005212910010
    commit_import(plan, store)
    sumini = store.get("1000004401950000")
    assert sumini.nama == "SUMINI" and sumini.sex == 2 and sumini.birth_date == date(1995, 1, 4)
    assert sumini.kk_level == 1 and sumini.status_kawin == 2 and sumini.agama_id == 1
    assert sumini.pendidikan_kk_id == 5 and sumini.pekerjaan_id == 2 and sumini.golongan_darah_id == 13
    assert (sumini.rw, sumini.rt) == ("008", "001")
    twice = store.get("1000005212910010")
    assert twice.nama == "M. MUT'ROF" and twice.status_dasar == 1
    assert store.get("1000000106830000").status_dasar == 9  # Tidak Valid
    assert store.get("1000006001650000").status_dasar == 3  # Pindah Dalam Negeri
    assert store.get("1000002501910000").status_dasar == 2 and not store.get("1000002501910000").present


def test_reimporting_the_same_file_changes_nothing(resident_store, FIXTURES):
    before = resident_store.path.read_bytes()
    plan = plan_import(FIXTURES / "contoh_penduduk.xlsx", resident_store)
    assert plan.report.unchanged == 97 and not plan.report.has_changes
    assert commit_import(plan, resident_store) is False
    assert resident_store.path.read_bytes() == before
