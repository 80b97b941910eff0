"""The NIK index beside the store (issue 17): a look-up reads one row; a stale or damaged index is
noticed, never believed, and rebuilt."""

import os
import random

from appliance.cli import main
from appliance.residents.importing import commit_import, plan_import
from appliance.residents.store import ResidentStore
from tests.storage.index_check import agrees, index_in_use


def test_a_lazy_lookup_reads_one_row_through_the_index(demo_store):
    home = demo_store.home
    assert index_in_use(home) and agrees(home, sample=200)
    lazy = ResidentStore.open(home, lazy=True)
    some = next(iter(demo_store))
    assert lazy.get(some.nik) == some and some.nik in lazy
    assert lazy._loaded is None  # nothing else was read


def test_an_index_left_from_before_a_commit_is_not_believed(demo_store, write_csv):
    home = demo_store.home
    old_index = demo_store.index_path.read_bytes()
    first = next(iter(demo_store))
    row = {f: ("" if v is None else v) for f, v in first._asdict().items()}
    row["alamat"] = "ALAMAT BARU"
    commit_import(plan_import(write_csv([row]), demo_store, mode="update"), demo_store)
    demo_store.index_path.write_bytes(old_index)  # as if killed between the store's rename and the index
    assert ResidentStore.open(home, lazy=True).get(first.nik).alamat == "ALAMAT BARU"
    assert index_in_use(home)  # the look-up read the store whole and wrote the index again
    assert agrees(home)


def test_a_damaged_or_missing_index_is_rebuilt(demo_store):
    home = demo_store.home
    rng = random.Random(5)
    good = demo_store.index_path.read_bytes()
    for damage in (b"", b"garbage", good[:-3], good[:40] + bytes(rng.randrange(256) for _ in range(200)) + good[240:]):
        demo_store.index_path.write_bytes(damage)
        assert agrees(home, sample=20)
        assert index_in_use(home)
    os.unlink(demo_store.index_path)
    assert agrees(home, sample=20) and index_in_use(home)


def test_rollback_leaves_an_index_that_agrees(demo_store, write_csv, capsys):
    home = demo_store.home
    first = next(iter(demo_store))
    row = {f: ("" if v is None else v) for f, v in first._asdict().items()}
    row["nama"] = "NAMA BARU"
    commit_import(plan_import(write_csv([row]), demo_store, mode="update"), demo_store)
    assert main(["rollback"]) == 0
    assert ResidentStore.open(home, lazy=True).get(first.nik).nama == first.nama
    assert agrees(home) and index_in_use(home)


def test_residents_find_uses_the_index(demo_store, capsys):
    nik = next(iter(demo_store)).nik
    demo_store.path.chmod(0o600)
    assert main(["residents", "find", nik, "--json"]) == 0
    assert nik[-4:] in capsys.readouterr().out
