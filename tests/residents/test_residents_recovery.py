"""Backups and rollback as the operator meets them after a mistake (issue 14, items 1-3).

A backup exists only for a commit that happened; backups are ordered by a sequence, never by the
clock (a Pi 4 boots with a wrong clock until NTP answers); rollback works when the current file is
damaged, which is exactly when it is needed.
"""

import errno
import os
import subprocess
import sys
from datetime import datetime

from appliance.cli import main
from appliance.residents.store import KEEP_BACKUPS, ResidentStore
from tests.residents.conftest import person


def _import_version(write_csv, i: int) -> None:
    path = write_csv([person(nama=f"VERSI {i}")], name=f"v{i}.csv")
    assert main(["import", str(path), "--mode", "update"]) == 0


def _name(home) -> str:
    return ResidentStore.open(home).get(person()["nik"]).nama


def test_rollback_restores_when_the_current_file_is_damaged(semenit_home, write_csv, capsys):
    for i in range(2):
        _import_version(write_csv, i)
    data = semenit_home / "residents.json"
    data.write_bytes(data.read_bytes()[:40])
    assert main(["residents", "find", person()["nik"]]) == 1
    assert "rollback" in capsys.readouterr().err
    assert main(["rollback"]) == 0
    assert _name(semenit_home) == "VERSI 0"
    assert main(["residents", "find", person()["nik"]]) == 0


def test_a_failed_commit_leaves_no_backup_and_never_pushes_out_a_real_one(semenit_home, write_csv, monkeypatch,
                                                                        capsys):
    for i in range(2):
        _import_version(write_csv, i)
    real_backups = ResidentStore.open(semenit_home).backups()
    assert len(real_backups) == 1

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr("appliance.storage.atomic.os.fsync", no_space)
        for attempt in range(KEEP_BACKUPS + 2):
            path = write_csv([person(nama=f"GAGAL {attempt}")], name=f"g{attempt}.csv")
            assert main(["import", str(path), "--mode", "update"]) == 1
    assert ResidentStore.open(semenit_home).backups() == real_backups
    assert main(["rollback"]) == 0
    assert _name(semenit_home) == "VERSI 0"


KILLED_INSIDE_THE_WRITE = r"""
import os, signal, sys
from appliance.residents.importing import commit_import, plan_import
from appliance.residents.store import ResidentStore
import appliance.storage.tinydb_storage as storage

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

storage.atomic_write = killed
store = ResidentStore.open(sys.argv[1])
commit_import(plan_import(sys.argv[2], store, mode="update"), store)
"""


def test_imports_killed_inside_the_write_leave_rollback_reaching_the_real_backup(semenit_home, write_csv):
    for i in range(2):
        _import_version(write_csv, i)
    for attempt in range(KEEP_BACKUPS + 2):
        path = write_csv([person(nama=f"MATI {attempt}")], name=f"k{attempt}.csv")
        child = subprocess.run([sys.executable, "-c", KILLED_INSIDE_THE_WRITE, str(semenit_home), str(path)],
                               timeout=120)
        assert child.returncode == -9
    assert _name(semenit_home) == "VERSI 1"
    assert len(ResidentStore.open(semenit_home).backups()) == 1
    assert main(["rollback"]) == 0
    assert _name(semenit_home) == "VERSI 0"


class _ClockGoingBack:
    """datetime as a Pi without a real-time clock sees it: the second import is 'earlier' than the first."""

    times = iter([datetime(2026, 11, 30, 10), datetime(2026, 11, 30, 11), datetime(2024, 1, 1, 7),
                  datetime(2024, 1, 1, 8)] + [datetime(2024, 1, 1, 9)] * 50)

    @classmethod
    def now(cls, tz=None):
        return next(cls.times)


def test_rollback_follows_the_order_of_commits_not_the_clock(semenit_home, write_csv, monkeypatch):
    monkeypatch.setattr("appliance.residents.store.datetime", _ClockGoingBack, raising=False)
    for i in range(KEEP_BACKUPS + 2):
        _import_version(write_csv, i)
    store = ResidentStore.open(semenit_home)
    assert len(store.backups()) == KEEP_BACKUPS
    for expected in range(KEEP_BACKUPS, 0, -1):
        assert main(["rollback"]) == 0
        assert _name(semenit_home) == f"VERSI {expected}"
