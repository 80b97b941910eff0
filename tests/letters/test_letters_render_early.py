"""The letter's render starts before its register entry is written (issue 17): it must never reach the
printer unless the entry did. A failed append leaves no job and no printed file; a good one prints
the letter with the number and QR the register holds."""

from __future__ import annotations

import errno
import os

import pytest

from appliance.letters import register as register_mod
from appliance.letters.samples import eligible_resident, example_fields


def _request(svc, store):
    template = svc.catalog.get("PENGANTAR")
    resident = eligible_resident(template, store, svc.today())
    return resident.nik, example_fields(template, resident, store)


def test_a_failed_register_append_prints_nothing(make_service, demo_store, semenit_home, monkeypatch):
    svc = make_service(demo_store)
    nik, fields = _request(svc, demo_store)
    real = register_mod.Register.append_locked

    def full_disk(self, event, number, **data):
        if event == "issued":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        return real(self, event, number, **data)

    monkeypatch.setattr(register_mod.Register, "append_locked", full_disk)
    with pytest.raises(OSError):
        svc.issue("PENGANTAR", nik, fields)
    assert svc.printers.spool.jobs() == []
    printed = semenit_home / "printed"
    assert not printed.exists() or not any(printed.iterdir())
    assert svc.register.entries() == []


def test_the_printed_letter_is_the_one_the_register_holds(make_service, demo_store):
    svc = make_service(demo_store)
    nik, fields = _request(svc, demo_store)
    issued = svc.wait(svc.issue("PENGANTAR", nik, fields), timeout=30)
    assert issued.outcome == "done" and issued.files
    record = svc.register.get(issued.number)
    assert record is not None and record.qr == issued.qr
    pdf = open(issued.files[-1], "rb").read()
    # The number is in the PDF's title (metadata), written by the same render the spool received.
    assert issued.number.encode() in pdf
