"""`semenit demo-data`: synthetic residents that pass our own importer without a single complaint."""

from collections import Counter
from datetime import date

from appliance.cli import main
from appliance.residents import demo
from appliance.residents.importing import plan_import
from appliance.residents.nik import decode_nik
from appliance.residents.store import ResidentStore


def test_demo_residents_are_consistent():
    people = demo.generate(2000, seed=3)
    assert len(people) == 2000 and len({p["nik"] for p in people}) == 2000
    for p in people:
        parts = decode_nik(p["nik"])
        assert parts.birth_date == date.fromisoformat(p["tanggallahir"]) and parts.sex == p["sex"]
        assert parts.area == "340413" and len(p["no_kk"]) == 16
    heads = Counter(p["no_kk"] for p in people if p["kk_level"] == 1)
    families = {p["no_kk"] for p in people}
    # every family has exactly one head (the last family may be cut short by the count)
    assert all(n == 1 for n in heads.values()) and len(families) - len(heads) <= 1
    assert demo.generate(50, seed=3) == people[:50]  # seeded: the same residents every time
    today = date.today()
    ages = [(today - date.fromisoformat(p["tanggallahir"])).days // 365 for p in people[:20]]
    assert min(ages) < 17 and any(p["status_kawin"] == 1 and a >= 17 for p, a in zip(people[:20], ages, strict=True))
    assert {p["status_dasar"] for p in people[:20]} >= {1, 2, 3}


def test_demo_data_command_writes_csv_and_xlsx_that_import_cleanly(tmp_path, semenit_home, capsys):
    for name in ("demo.csv", "demo.xlsx"):
        out = tmp_path / name
        assert main(["demo-data", "--residents", "300", "--out", str(out), "--seed", "5"]) == 0
        plan = plan_import(out, ResidentStore.open(semenit_home))
        assert len(plan.report.added) == 300 and not plan.report.refused and not plan.report.warnings
    assert main(["demo-data", "--residents", "3", "--out", str(tmp_path / "x.txt")]) == 2
