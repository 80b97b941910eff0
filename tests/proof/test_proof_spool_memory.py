"""The spool keeps only the newest printed jobs in memory (found by the 10,000-letter soak): the older
ones are still there for everyone who asks, from disk, and still purged after keep_days."""

from __future__ import annotations

import time

from appliance.printing import open_printers
from appliance.printing.spool import MEMORY_DONE
from tests.printing.fakeprinter import FAST, make_settings


def test_printed_jobs_leave_memory_but_not_the_spool(semenit_home):
    printers = open_printers(make_settings(printing={**FAST, "keep_days": 0.00005}), semenit_home)  # ~4 s
    spool = printers.spool
    try:
        jobs = [spool.submit(kind="ticket", content={"escpos": f"T{i}\n".encode()}, ref=f"T{i}")
                for i in range(2 * MEMORY_DONE + 60)]
        for job in jobs:
            assert spool.wait(job.id, 10).state == "done"
        deadline = time.monotonic() + 5
        while len(spool._jobs) > 2 * MEMORY_DONE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(spool._jobs) <= 2 * MEMORY_DONE
        first = jobs[0]
        assert first.id not in spool._jobs
        assert spool.get(first.id).state == "done" and spool.wait(first.id, 1).state == "done"
        assert spool.retry(first.id).state == "done"  # not printed again
        assert spool.cancel(first.id).state == "done"
        copy = spool.retry(first.id, reprint=True)  # an operator's reprint still finds its bytes
        assert spool.wait(copy.id, 10).state == "done" and copy.reprint_of == first.id
        time.sleep(4.5)
        spool._purged_at = time.monotonic() - 7200  # the hourly clean-up is due
        last = spool.submit(kind="ticket", content={"escpos": b"LAST\n"}, ref="last")
        assert spool.wait(last.id, 10).state == "done"
        deadline = time.monotonic() + 5
        while (semenit_home / "spool" / "jobs" / f"{first.id}.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not (semenit_home / "spool" / "jobs" / f"{first.id}.json").exists()
        assert not (semenit_home / "spool" / "jobs" / f"{first.id}.escpos").exists()
        assert spool.get(first.id) is None
    finally:
        printers.close()
