"""The spool: persisted before sending, resumed after a restart, never printed twice by accident."""

from __future__ import annotations

import dataclasses
import os
import time

import orjson
import pytest
from fakeprinter import FAST, make_settings, wait_until

from appliance.config import Settings
from appliance.printing import PrintingConfigError, SpoolError, open_printers
from appliance.printing.spool import Job


def test_default_is_one_file_printer_in_home(semenit_home):
    printers = open_printers(Settings({}), semenit_home)
    try:
        assert printers.names() == ["file"]
        assert printers.default_for("letter") == "file" and printers.default_for("ticket") == "file"
        assert printers.formats("file") == {"pdf", "escpos"}
        assert printers.escpos_profile("file") == ("default", 80)
        seen = []
        printers.spool.add_listener(lambda job: seen.append(job.state))
        job = printers.spool.submit(kind="letter", content={"pdf": b"%PDF-1.4 letter", "escpos": b"x"},
                                    ref="470/012/TRJ/XI/2026")
        assert (semenit_home / "spool" / "jobs" / f"{job.id}.json").exists()  # on disk before anything else
        done = printers.spool.wait(job.id, 5)
        assert done.state == "done" and done.format == "pdf"
        assert done.output == str(semenit_home / "printed" / f"{job.id}-470-012-TRJ-XI-2026.pdf")
        assert open(done.output, "rb").read() == b"%PDF-1.4 letter"
        assert seen == ["pending", "sent", "done"]
        ticket = printers.spool.submit(kind="ticket", content={"pdf": b"%PDF", "escpos": b"\x1b@T"})
        assert printers.spool.wait(ticket.id, 5).output.endswith(".bin")
    finally:
        printers.close()


def test_job_kept_while_the_printer_is_unreachable_and_resumed_after_restart(semenit_home, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    broken = make_settings({"file": {"backend": "file", "folder": str(blocker / "out")}})
    printers = open_printers(broken, semenit_home)
    try:
        job = printers.spool.submit(kind="letter", content={"pdf": b"%PDF-kept"})
        kept = printers.spool.wait(job.id, 5)
        assert kept.state == "pending" and kept.attempts >= 1 and "tidak tersambung" in kept.error
        assert printers.state("file").status == "offline"
    finally:
        printers.close()
    fixed = make_settings({"file": {"backend": "file", "folder": str(tmp_path / "out")}})
    printers = open_printers(fixed, semenit_home)  # a restart with the printer back
    try:
        assert wait_until(lambda: printers.spool.get(job.id).state == "done")
        assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{job.id}.pdf"]
    finally:
        printers.close()


def _plant(home, job: Job, data: bytes) -> None:
    """A job as a killed process left it on disk: its bytes and its record in spool/jobs/."""
    (home / "spool" / "jobs").mkdir(parents=True, exist_ok=True)
    (home / "spool" / "jobs" / f"{job.id}.{job.format}").write_bytes(data)
    (home / "spool" / "jobs" / f"{job.id}.json").write_bytes(orjson.dumps(job.as_dict()))


def _crashed_job(printer: str, fmt: str, job_id: str = "20261128-060000-0badf00d") -> Job:
    now = time.time()
    return Job(id=job_id, printer=printer, kind="letter", format=fmt, ref="R", state="sent", created_at=now,
               updated_at=now, attempts=1, delivering=True)


def test_crash_after_the_file_was_written_is_not_printed_again(semenit_home):
    job = _crashed_job("file", "pdf")
    _plant(semenit_home, job, b"%PDF-new")
    out = semenit_home / "printed"
    out.mkdir()
    (out / f"{job.id}-R.pdf").write_bytes(b"%PDF-already")
    printers = open_printers(Settings({}), semenit_home)
    try:
        assert wait_until(lambda: printers.spool.get(job.id).state == "done")
        assert (out / f"{job.id}-R.pdf").read_bytes() == b"%PDF-already"
    finally:
        printers.close()


def test_crash_before_the_file_was_written_prints_it(semenit_home):
    job = _crashed_job("file", "pdf")
    _plant(semenit_home, job, b"%PDF-new")
    printers = open_printers(Settings({}), semenit_home)
    try:
        assert wait_until(lambda: printers.spool.get(job.id).state == "done")
        assert (semenit_home / "printed" / f"{job.id}-R.pdf").read_bytes() == b"%PDF-new"
    finally:
        printers.close()


def test_escpos_job_in_doubt_after_a_crash_waits_for_a_person(semenit_home, tcp_printer):
    settings = make_settings({"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port}})
    job = _crashed_job("thermal", "escpos")
    _plant(semenit_home, job, b"IN-DOUBT\n")
    printers = open_printers(settings, semenit_home)
    try:
        failed = wait_until(lambda: printers.spool.get(job.id).state == "failed" and printers.spool.get(job.id))
        assert "terputus" in failed.error  # "Pencetakan terputus di tengah jalan ... minta cetak ulang"
        time.sleep(0.5)
        assert tcp_printer.model.count(b"IN-DOUBT") == 0  # not resent by itself
        printers.spool.retry(job.id)  # the operator checked: it did not print
        assert wait_until(lambda: printers.spool.get(job.id).state == "done")
        assert tcp_printer.model.count(b"IN-DOUBT") == 1
    finally:
        printers.close()


def test_a_delivery_in_flight_in_another_process_is_not_judged_half_sent(semenit_home, tcp_printer):
    """A spool that starts while another process is sending a job reads it "sent, delivering". Once that
    process is done (here: the printer refused, the job back to pending), the job is what its record says,
    not a job left half-sent: it prints once and is never failed "in doubt" (found by two spools sharing
    a home, the kiosk and a `semenit` command)."""
    import fcntl

    settings = make_settings({"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port}})
    job = _crashed_job("thermal", "escpos", "20261130-220000-1f11a9e0")
    jobs = semenit_home / "spool" / "jobs"
    jobs.mkdir(parents=True)
    (jobs / f"{job.id}.escpos").write_bytes(b"IN-FLIGHT\n")
    (jobs / f"{job.id}.json").write_bytes(orjson.dumps(job.as_dict()))
    lock = os.open(jobs / f"{job.id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)  # the other process holds the job while it sends
    printers = open_printers(settings, semenit_home)
    try:
        assert wait_until(lambda: printers.spool.get(job.id).next_at > 0)  # it tried, found the job held
        back = dataclasses.replace(job, state="pending", delivering=False, updated_at=time.time(), next_at=0.0)
        (jobs / f"{job.id}.json").write_bytes(orjson.dumps(back.as_dict()))  # the other process is done
        fcntl.flock(lock, fcntl.LOCK_UN)
        assert wait_until(lambda: printers.spool.get(job.id).state in ("done", "failed"), 15)
        assert printers.spool.get(job.id).state == "done", printers.spool.get(job.id)
        assert tcp_printer.model.count(b"IN-FLIGHT") == 1
    finally:
        os.close(lock)
        printers.close()


def test_connection_dropped_mid_job_is_in_doubt_not_resent(semenit_home, tcp_printer):
    settings = make_settings({"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port}})
    printers = open_printers(settings, semenit_home)
    try:
        tcp_printer.model.hang_up_after = 1000
        job = printers.spool.submit(kind="ticket", content={"escpos": b"A" * 4_000_000})
        failed = printers.spool.wait(job.id, 10)
        assert failed.state == "failed" and failed.error
        printed = len(tcp_printer.model.printed)
        time.sleep(0.6)
        assert len(tcp_printer.model.printed) == printed  # nothing resent behind the operator's back
    finally:
        printers.close()


def test_retry_never_reprints_a_done_job_unless_asked(semenit_home):
    printers = open_printers(Settings({}), semenit_home)
    try:
        job = printers.spool.submit(kind="letter", content={"pdf": b"%PDF-once"}, ref="R1")
        assert printers.spool.wait(job.id, 5).state == "done"
        same = printers.spool.retry(job.id)
        assert same.id == job.id and same.state == "done"
        time.sleep(0.2)
        assert len(list((semenit_home / "printed").iterdir())) == 1
        copy = printers.spool.retry(job.id, reprint=True)
        assert copy.id != job.id and copy.reprint_of == job.id and copy.ref == "R1"
        assert printers.spool.wait(copy.id, 5).state == "done"
        assert len(list((semenit_home / "printed").iterdir())) == 2
    finally:
        printers.close()


def test_two_spools_sharing_a_home_print_each_job_once(semenit_home, tcp_printer):
    """The kiosk and a `semenit` command (two spools, one home) resume the same kept jobs: each prints once."""
    table = {"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port}}
    tcp_printer.stop()
    first = open_printers(make_settings(table), semenit_home)
    ids = [first.spool.submit(kind="ticket", content={"escpos": f"<JOB-{i:02d}>".encode()}).id for i in range(12)]
    assert wait_until(lambda: all(first.spool.get(i).attempts >= 1 for i in ids))
    second = open_printers(make_settings(table), semenit_home)
    try:
        tcp_printer.start()
        for printers in (first, second):
            printers.spool.wake("thermal")
        assert wait_until(lambda: all(first.spool.get(i).state == "done" or second.spool.get(i).state == "done"
                                      for i in ids), 15)
        time.sleep(0.5)
        for i in range(12):
            assert tcp_printer.model.count(f"<JOB-{i:02d}>".encode()) == 1
    finally:
        first.close()
        second.close()


def test_bad_requests_and_settings_are_clear_errors(semenit_home):
    printers = open_printers(make_settings({"letters": {"backend": "cups", "queue": "Nope", "role": ["letter"]}}),
                             semenit_home, start=False)
    try:
        with pytest.raises(SpoolError) as err:
            printers.spool.submit(kind="letter", content={"escpos": b"x"})
        assert "letters" in str(err.value) and "pdf" in str(err.value)
        with pytest.raises(SpoolError):
            printers.spool.submit(printer="ghost", kind="letter", content={"pdf": b"x"})
        with pytest.raises(SpoolError):
            printers.spool.submit(kind="ticket", content={"escpos": b"x"})  # no printer takes tickets
        assert printers.default_for("ticket") is None
    finally:
        printers.close()
    with pytest.raises(PrintingConfigError) as err:
        open_printers(make_settings({"x": {"backend": "laser"}}), semenit_home)
    assert "laser" in str(err.value)
    with pytest.raises(PrintingConfigError) as err:
        open_printers(make_settings({"x": {"backend": "network", "hots": "1.2.3.4"}}), semenit_home)
    assert "hots" in str(err.value)


def test_old_finished_jobs_are_cleaned_up(semenit_home):
    old = _crashed_job("file", "pdf", "20261001-060000-00000001")
    old.state, old.delivering, old.updated_at = "done", False, time.time() - 30 * 86400
    _plant(semenit_home, old, b"%PDF-old")
    os.utime(semenit_home / "spool" / "jobs" / f"{old.id}.json")
    printers = open_printers(Settings({}), semenit_home, start=False)
    try:
        assert printers.spool.get(old.id) is None
        assert not list((semenit_home / "spool" / "jobs").glob(f"{old.id}.*"))
    finally:
        printers.close()


def test_a_running_spool_forgets_printed_jobs_after_keep_days(semenit_home):
    printers = open_printers(make_settings(printing={**FAST, "keep_days": 0.000002}), semenit_home)  # ~0.2 s
    try:
        first = printers.spool.submit(kind="letter", content={"pdf": b"%PDF-personal"})
        assert printers.spool.wait(first.id, 5).state == "done"
        time.sleep(0.3)
        printers.spool._purged_at = time.monotonic() - 7200  # the hourly clean-up is due
        second = printers.spool.submit(kind="letter", content={"pdf": b"%PDF-next"})
        assert printers.spool.wait(second.id, 5).state == "done"
        assert wait_until(lambda: not (semenit_home / "spool" / "jobs" / f"{first.id}.pdf").exists())
        assert not (semenit_home / "spool" / "jobs" / f"{first.id}.json").exists()
        assert printers.spool.get(first.id) is None
    finally:
        printers.close()


class _PowerCut:
    """Follows the spool's writes as a power cut would see them: a file replaced without a flush of its
    folder may come back as its previous version; `cut()` puts every such file back that way."""

    def __init__(self, monkeypatch):
        import appliance.printing.spool as spool_mod

        self.durable: dict = {}  # path -> the content a power cut cannot take back
        self.writes: list[tuple[str, bool, bool]] = []  # (file name, file flushed, folder flushed)
        real = spool_mod.atomic_write

        def atomic_write(path, data, mode=0o644, *, fsync_file=True, fsync_folder=True):
            real(path, data, mode, fsync_file=fsync_file, fsync_folder=fsync_folder)
            self.writes.append((os.path.basename(path), fsync_file, fsync_folder))
            if fsync_folder:  # every name in the folder is durable now, at its current content
                for sibling in os.listdir(os.path.dirname(path)):
                    full = os.path.join(os.path.dirname(path), sibling)
                    if not sibling.startswith(".") and os.path.isfile(full):
                        self.durable[full] = open(full, "rb").read()

        monkeypatch.setattr(spool_mod, "atomic_write", atomic_write)

    def cut(self, folder) -> None:
        for path in folder.iterdir():
            if str(path) in self.durable:
                path.write_bytes(self.durable[str(path)])
            elif path.suffix != ".lock":
                path.unlink()


def test_a_power_cut_after_an_escpos_job_printed_leaves_it_printed_never_in_doubt(
        semenit_home, tcp_printer, monkeypatch):
    """An ESC/POS printer cannot tell afterwards whether a job got through: its "done" is flushed before
    anyone hears of it (a letter's "printed" in the register never comes back as "in doubt")."""
    cut = _PowerCut(monkeypatch)
    settings = make_settings({"thermal": {"backend": "network", "host": "127.0.0.1", "port": tcp_printer.port,
                                          "role": ["ticket"], "status": False}}, printing=FAST)
    printers = open_printers(settings, semenit_home)
    heard = []
    printers.spool.add_listener(lambda job: heard.append((job.state, dict(cut.durable))))
    try:
        job = printers.spool.submit(kind="ticket", content={"escpos": b"\x1b@<ONCE>\n\x1dV\x00"}, ref="T-1")
        assert printers.spool.wait(job.id, 5).state == "done"
        # submit: the bytes, the record, their one folder; "sending" whole before delivery; "done" whole too
        assert cut.writes == [(f"{job.id}.escpos", True, False), (f"{job.id}.json", True, True),
                              (f"{job.id}.json", True, True), (f"{job.id}.json", True, True)]
        assert wait_until(lambda: tcp_printer.model.count(b"<ONCE>") == 1)
        record = str(semenit_home / "spool" / "jobs" / f"{job.id}.json")
        [(state, durable)] = [h for h in heard if h[0] == "done"]
        assert orjson.loads(durable[record])["state"] == "done"  # on disk for good before anyone heard
    finally:
        printers.close()
    cut.cut(semenit_home / "spool" / "jobs")
    assert orjson.loads((semenit_home / "spool" / "jobs" / f"{job.id}.json").read_bytes())["state"] == "done"
    printers = open_printers(settings, semenit_home)
    try:
        assert printers.spool.get(job.id).state == "done"
        assert tcp_printer.model.count(b"<ONCE>") == 1
    finally:
        printers.close()


def test_a_power_cut_after_the_file_printer_wrote_a_letter_leaves_one_file(semenit_home, tmp_path, monkeypatch):
    cut = _PowerCut(monkeypatch)
    settings = make_settings({"file": {"backend": "file", "folder": str(tmp_path / "out")}}, printing=FAST)
    printers = open_printers(settings, semenit_home)
    try:
        job = printers.spool.submit(kind="letter", content={"pdf": b"%PDF-once"}, ref="R/1")
        assert printers.spool.wait(job.id, 5).state == "done"
        # submit as above, then "done" ("sending" is not written: a second delivery rewrites the same file)
        assert cut.writes == [(f"{job.id}.pdf", True, False), (f"{job.id}.json", True, True),
                              (f"{job.id}.json", True, False)]
        assert len(list((tmp_path / "out").iterdir())) == 1
    finally:
        printers.close()
    cut.cut(semenit_home / "spool" / "jobs")  # "done" lagged: the job reads pending again
    assert orjson.loads((semenit_home / "spool" / "jobs" / f"{job.id}.json").read_bytes())["state"] == "pending"
    printers = open_printers(settings, semenit_home)
    try:
        assert wait_until(lambda: printers.spool.get(job.id).state == "done")
        assert [p.read_bytes() for p in (tmp_path / "out").iterdir()] == [b"%PDF-once"]  # the same file again
    finally:
        printers.close()
