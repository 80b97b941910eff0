"""The store: atomic writes, look-ups through the in-memory index, the TinyDB view, a full disk, kills."""

import errno
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from tinydb import Query

from appliance.cli import main
from appliance.residents import demo
from appliance.residents.importing import commit_import, plan_import
from appliance.residents.model import DATA_FIELDS
from appliance.residents.store import ResidentStore, StoreChanged
from tests.residents.conftest import person


def test_tinydb_api_reads_the_same_residents(resident_store):
    db = resident_store.tinydb()
    table = db.table("residents")
    assert len(table) == 97
    found = table.search(Query().nik == "5201145003976995")
    assert [d["nama"] for d in found] == ["ADINI SEPTIA LISTA"]
    assert found[0] == resident_store.get("5201145003976995")._asdict()


def test_lookups_family_tag_and_reload(demo_store, write_csv):
    heads = [r for r in demo_store if r.kk_level == 1]
    assert heads
    for head in heads[:20]:
        family = demo_store.family(head.no_kk)
        assert family[0] == head and sum(1 for m in family if m.kk_level == 1) == 1
    other = ResidentStore.open(demo_store.home)
    row = {f: (getattr(heads[0], f) if getattr(heads[0], f) is not None else "") for f in DATA_FIELDS}
    row["tag_id_card"] = "04A1B2C3D4"
    commit_import(plan_import(write_csv([row]), other, mode="update"), other)
    assert demo_store.find_by_tag("04A1B2C3D4") is None
    assert demo_store.reload_if_changed() is True
    assert demo_store.find_by_tag("04A1B2C3D4").nik == heads[0].nik
    assert demo_store.reload_if_changed() is False


def test_a_stale_plan_is_refused(demo_store, write_csv):
    plan = plan_import(write_csv([person()]), demo_store, mode="update")
    other = ResidentStore.open(demo_store.home)
    commit_import(plan_import(write_csv([person(nama="LAIN")], name="b.csv"), other, mode="update"), other)
    with pytest.raises(StoreChanged):
        commit_import(plan, demo_store)


def test_full_disk_while_committing_keeps_old_data(resident_store, write_csv, monkeypatch, capsys):
    before = resident_store.path.read_bytes()

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("appliance.storage.atomic.os.fsync", no_space)
    assert main(["import", str(write_csv([person()])), "--mode", "update"]) == 1
    assert "data lama tetap utuh" in capsys.readouterr().err
    monkeypatch.undo()
    assert resident_store.path.read_bytes() == before
    assert not list(resident_store.home.glob(".*.tmp"))
    assert len(ResidentStore.open(resident_store.home)) == 97


def test_corrupt_store_file_gives_a_clear_error(semenit_home, capsys):
    (semenit_home / "residents.json").write_bytes(b'{"_format": "semenit-packed-1", "tables": {"resid')
    assert main(["residents", "find", "3404134501900001"]) == 1
    assert "rusak" in capsys.readouterr().err


CHILD = r"""
import os, signal, sys
from appliance.residents.importing import commit_import, plan_import
from appliance.residents.store import ResidentStore
import appliance.storage.atomic as atomic

# argv[3] "before"/"after": the child stops itself (SIGSTOP) just before or after the store file is
# switched, so the parent's kill lands exactly there whatever the machine's load.
stop_at = sys.argv[3] if len(sys.argv) > 3 else ""
real_replace = os.replace

def replace(src, dst):
    switching = str(dst).endswith("residents.json")
    if switching and stop_at == "before":
        os.kill(os.getpid(), signal.SIGSTOP)
    real_replace(src, dst)
    if switching and stop_at == "after":
        os.kill(os.getpid(), signal.SIGSTOP)

atomic.os.replace = replace
store = ResidentStore.open(sys.argv[1])
plan = plan_import(sys.argv[2], store, mode="full")
print("ready", flush=True)
commit_import(plan, store, confirm_mass_absent=True)
print("done", flush=True)
"""


def _content(home):
    store = ResidentStore.open(home)
    return {r.nik: tuple(getattr(r, f) for f in DATA_FIELDS) + (r.absent_since is None,) for r in store}


def test_sigkill_during_commit_leaves_old_or_new(tmp_path):
    """Kill the importer at many moments of its commit: the store always opens and is old or new."""
    old_csv, new_csv = tmp_path / "old.csv", tmp_path / "new.csv"
    people = demo.generate(6000, seed=7)
    demo.write_csv(people[:5000], old_csv)
    changed = [dict(p, alamat=p["alamat"] + " BARU") for p in people[1000:]]
    demo.write_csv(changed, new_csv)

    def fresh_home(name):
        home = tmp_path / name
        home.mkdir()
        store = ResidentStore.open(home)
        commit_import(plan_import(old_csv, store), store)
        return home

    def run(home, kill_after=None, stop_at=""):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(new_csv), stop_at],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        if stop_at:
            _, status = os.waitpid(child.pid, os.WUNTRACED)  # the child stopped itself at the switch
            assert os.WIFSTOPPED(status), status
            child.send_signal(signal.SIGKILL)
            child.wait()
            return None
        if kill_after is None:
            assert child.stdout.readline().strip() == "done"
            child.wait()
            return time.perf_counter() - started
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.wait()
        return None

    reference = fresh_home("reference")
    old = _content(reference)
    commit_time = run(reference)
    new = _content(reference)
    assert old != new
    # A kill exactly before and exactly after the switch: old and new, whatever the machine's load.
    for stop_at, expected in (("before", old), ("after", new)):
        home = fresh_home(f"stop-{stop_at}")
        run(home, stop_at=stop_at)
        assert _content(home) == expected, f"killed {stop_at} the switch"
    # Kills at random moments of the commit: always one of the two, never a mixture.
    rng = random.Random(20261128)
    for i in range(30):
        home = fresh_home(f"run{i}")
        run(home, kill_after=rng.uniform(0, commit_time * 1.3))
        assert _content(home) in (old, new), f"run {i}: the store is neither the old nor the new data"


def test_only_stale_temporaries_are_cleaned_up(tmp_path):
    """A temporary file another process is writing right now is left alone; a killed writer's old one goes."""
    from appliance.storage.atomic import STALE_AFTER_S, remove_stale_temporaries

    live, stale = tmp_path / ".queue.json.abc.tmp", tmp_path / ".residents.json.def.tmp"
    live.write_bytes(b"in progress")
    stale.write_bytes(b"left by a kill")
    old = time.time() - STALE_AFTER_S - 5
    os.utime(stale, (old, old))
    remove_stale_temporaries(tmp_path)
    assert live.exists() and not stale.exists()
