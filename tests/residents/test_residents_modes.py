"""Full and update imports, the mass-absence guard, backups and rollback."""

import json

from appliance.cli import main
from appliance.residents.store import KEEP_BACKUPS, ResidentStore
from tests.residents.conftest import person


def test_full_import_marks_missing_residents_absent_never_deletes(semenit_home, write_csv, capsys):
    a, b = person(), person(nik="3404130501900002", nama="BUDI")
    assert main(["import", str(write_csv([a, b]))]) == 0
    many = [a, b] + [person(nik=f"34041345019{i:05d}", nama=f"WARGA {i}") for i in range(3, 12)]
    assert main(["import", str(write_csv(many, name="semua.csv"))]) == 0
    assert main(["import", str(write_csv(many[1:], name="tanpa_a.csv")), "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{"):])["report"]
    assert report["counts"]["missing"] == 1 and report["missing"][0]["nik"] == "3404****0001"
    store = ResidentStore.open(semenit_home)
    gone = store.get(a["nik"])
    assert gone is not None and gone.absent_since and not gone.present
    assert main(["import", str(write_csv(many, name="kembali.csv"))]) == 0
    back = ResidentStore.open(semenit_home).get(a["nik"])
    assert back.present and back.absent_since is None


def test_update_import_changes_only_its_rows(semenit_home, write_csv, capsys):
    rows = [person(nik=f"34041345019{i:05d}", nama=f"WARGA {i}") for i in range(1, 11)]
    assert main(["import", str(write_csv(rows))]) == 0
    changed = dict(rows[0], alamat="JETIS BARU", pekerjaan_id="9")
    assert main(["import", str(write_csv([changed], name="ubah.csv")), "--mode", "update", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index('{\n  "ok"'):])["report"]
    assert report["counts"] == {"added": 0, "changed": 1, "unchanged": 0, "missing": 0, "refused": 0,
                                "warnings": 0}
    assert report["changed"][0]["fields"] == ["pekerjaan_id", "alamat"]
    store = ResidentStore.open(semenit_home)
    assert all(r.present for r in store) and store.get(rows[0]["nik"]).alamat == "JETIS BARU"


def test_full_import_marking_over_a_fifth_absent_needs_yes(semenit_home, write_csv, capsys):
    rows = [person(nik=f"34041345019{i:05d}", nama=f"WARGA {i}") for i in range(1, 11)]
    assert main(["import", str(write_csv(rows))]) == 0
    store = ResidentStore.open(semenit_home)
    before = store.path.read_bytes()
    wrong = write_csv(rows[:7], name="salah.csv")  # 3 of 10 would leave: 30% > 20%
    assert main(["import", str(wrong)]) == 4
    assert "--yes" in capsys.readouterr().err
    assert store.path.read_bytes() == before
    assert main(["import", str(write_csv(rows[:9], name="satu.csv"))]) == 0  # 10% is fine
    assert main(["import", str(wrong), "--yes"]) == 0
    assert sum(r.present for r in ResidentStore.open(semenit_home)) == 7


def test_backups_keep_five_and_rollback_walks_back(semenit_home, write_csv, capsys):
    versions = []
    for i in range(8):
        rows = [person(nama=f"VERSI {i}")]
        assert main(["import", str(write_csv(rows, name=f"v{i}.csv")), "--mode", "update"]) == 0
        versions.append(ResidentStore.open(semenit_home).path.read_bytes())
    store = ResidentStore.open(semenit_home)
    assert len(store.backups()) == KEEP_BACKUPS
    assert main(["rollback"]) == 0
    assert ResidentStore.open(semenit_home).get(person()["nik"]).nama == "VERSI 6"
    assert store.path.read_bytes() == versions[6]
    assert main(["rollback"]) == 0
    assert ResidentStore.open(semenit_home).get(person()["nik"]).nama == "VERSI 5"
    for _ in range(3):
        assert main(["rollback"]) == 0
    capsys.readouterr()
    assert main(["rollback"]) == 1
    assert "Tidak ada cadangan" in capsys.readouterr().err
    assert list(store.backup_dir.glob("undone-*.json"))  # what rollback replaced is kept too


def test_residents_find(resident_store, capsys):
    assert main(["residents", "find", "5201145003976995", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nama"] == "ADINI SEPTIA LISTA" and data["nik"] == "5201****6995"
    assert data["labels"]["sex"] == "PEREMPUAN"
    assert main(["residents", "find", "5201145003976999"]) == 1
    assert "5201****6999" in capsys.readouterr().err
    assert main(["residents", "find", "52011450039769"]) == 2
    assert "14 angka" in capsys.readouterr().err
