"""The print spool: every job is written to disk before it is sent, followed until it is done, and
never sent twice by accident.

Layout in `home/spool/jobs/`: `<id>.json` (what the job is and where it stands) and `<id>.<fmt>` (its
bytes, written first). Both in one folder, so that one flush of the folder makes both names durable. Job states:

    pending  kept, waiting to be sent (new, or the printer was out of paper / offline: retried with backoff,
             and at once when the printer's state clears)
    sent     handed to the printer; for CUPS followed in CUPS's own queue until it completes
    done     printed (as far as the printer tells us)
    failed   not retried by itself: the backend refused it, or it was interrupted half-way so that a
             resend could print it twice; `retry(job_id)` sends it again on request

Why a "delivering" mark: the job is persisted as `sent`+`delivering` before the first byte leaves. A
process killed during delivery leaves that mark; on restart the spool asks the backend whether the job
got through (the file exists, CUPS knows the job's title) and only resends when it provably did not.
Where nobody can tell (an ESC/POS printer), the job is `failed` with a message asking to check and
reprint, instead of a second copy.

Disk flushes (each costs milliseconds on a busy disk or an SD card): a job is durable when submit()
returns (its bytes and record flushed, then the folder once). The "sent"+"delivering" mark is flushed,
folder included, before the first byte leaves; a printer where a second delivery of the same job is
harmless (the `file` printer rewrites the same file) gets no mark on disk. "done" may lag after a power
cut where the backend can tell whether a job got through (`finds_jobs`: file, CUPS): the record then reads
"sent"+"delivering", resolved by asking it, never "pending" except for a printer whose redelivery is
harmless; the next flush of the folder by any job makes it durable. An ESC/POS printer cannot tell:
its "done" is flushed before anyone hears of it.

Several processes may share a home (the kiosk and a `semenit` command): a job is claimed with a file
lock and re-read from disk before it is sent.

Listeners (`add_listener(fn)`) get a copy of the job on every change, from the spool's worker threads.
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from appliance.errors import SemenitError
from appliance.i18n import _
from appliance.printing.state import PrinterError
from appliance.storage.atomic import atomic_write, remove_stale_temporaries

log = logging.getLogger(__name__)

STATES = ("pending", "sent", "done", "failed")
# Printed jobs kept in memory; older ones are only on disk (read back when asked for), so a kiosk that
# prints all day keeps a flat memory and its workers do not walk thousands of finished jobs.
MEMORY_DONE = 200
DEFAULTS = {
    "retry_base_s": 2.0,  # first retry after this, doubling each time
    "retry_max_s": 60.0,  # never wait longer than this between two attempts
    "track_s": 1.0,  # how often a job in CUPS's queue is looked at
    # finished jobs and their bytes (letters carry personal data) are removed after this many days;
    # a letter is reprinted from the register, not from here
    "keep_days": 2,
}


class SpoolError(SemenitError):
    """A job cannot be accepted (no such printer, no printer for this kind, wrong content)."""


@dataclass
class Job:
    id: str
    printer: str
    kind: str
    format: str
    ref: str = ""
    state: str = "pending"
    created_at: float = 0.0
    updated_at: float = 0.0
    attempts: int = 0
    next_at: float = 0.0
    error_key: str = ""
    error_params: dict = field(default_factory=dict)
    remote: str | None = None
    output: str | None = None
    delivering: bool = False
    released: bool = True  # False while a two-phase job waits held in the backend's queue
    reprint_of: str | None = None

    @property
    def error(self) -> str | None:
        """What went wrong, in the current language (None when nothing did)."""
        if not self.error_key:
            return None
        params = dict(self.error_params)
        if "status" in params:
            params["reason"] = _(f"printing.status.{params['status']}", name=self.printer)
        return _(self.error_key, **params)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out["error"] = self.error
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Job:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _new_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(4)


class Spool:
    def __init__(
        self,
        home: Path,
        printers: dict,
        default_for: Callable[[str], str | None],
        settings: dict | None = None,
        on_result: Callable[[str, str, str], None] | None = None,
        state_of: Callable[[str], object] | None = None,
        start: bool = True,
    ):
        self.home = Path(home)
        self.dir = self.home / "spool"
        self.jobs_dir = self.dir / "jobs"
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        self.printers = printers
        self.default_for = default_for
        self.conf = {**DEFAULTS, **(settings or {})}
        self.on_result = on_result  # (printer, status, detail) after each delivery attempt
        self.state_of = state_of  # printer name -> its last known PrinterState
        self._jobs: dict[str, Job] = {}
        self._cond = threading.Condition(threading.RLock())
        self._listeners: list[Callable[[Job], None]] = []
        self._workers: dict[str, threading.Thread] = {}
        self._stop = threading.Event()
        self._load()
        if start:
            self.start()

    def start(self) -> None:
        """Resume: start sending the kept jobs found on disk."""
        for name in sorted({j.printer for j in self._jobs.values() if not j.finished}):
            self._ensure_worker(name)

    # --- public API -------------------------------------------------------------------------------

    def submit(self, printer: str | None = None, kind: str = "letter", content: dict | None = None,
               ref: str = "") -> Job:
        """Persist a job and queue it. Returns a snapshot (state "pending"); follow it with `get`,
        `wait` or a listener."""
        name = printer or self.default_for(kind)
        if name is None:
            raise SpoolError("printing.error.no_printer_for", kind=kind)
        if name not in self.printers:
            raise SpoolError("printing.error.unknown_printer", name=name)
        fmt = self._choose_format(self.printers[name], kind, content or {})
        data = (content or {})[fmt]
        if not isinstance(data, (bytes, bytearray)) or not data:
            raise SpoolError("printing.error.empty_content", name=name)
        now = time.time()
        job = Job(id=_new_id(), printer=name, kind=kind, format=fmt, ref=ref or "", created_at=now, updated_at=now)
        # The bytes need no folder flush of their own: the record's, in the same folder, comes after
        # their rename and makes both names durable before submit returns.
        atomic_write(self._data_path(job), bytes(data), mode=0o600, fsync_folder=False)
        self._persist(job)
        with self._cond:
            self._jobs[job.id] = job
            self._cond.notify_all()
        self._ensure_worker(name)
        self._notify(job)
        return dataclasses.replace(job)

    def get(self, job_id: str) -> Job | None:
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None:
                job = self._read_job(self.jobs_dir / f"{job_id}.json")
            return dataclasses.replace(job) if job else None

    def jobs(self, states: tuple[str, ...] | None = None, printer: str | None = None) -> list[Job]:
        with self._cond:
            out = [
                dataclasses.replace(j)
                for j in self._jobs.values()
                if (states is None or j.state in states) and (printer is None or j.printer == printer)
            ]
        return sorted(out, key=lambda j: j.id)

    def add_listener(self, fn: Callable[[Job], None]) -> None:
        with self._cond:
            self._listeners.append(fn)

    def remove_listener(self, fn: Callable[[Job], None]) -> None:
        with self._cond:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def wait(self, job_id: str, timeout: float = 10.0) -> Job | None:
        """Wait until the job is done or failed, or an attempt to send it has failed (it is then kept
        and retried; `job.error` says why), or `timeout` seconds pass. Returns the job as it stands."""
        deadline = time.monotonic() + timeout
        with self._cond:
            job = self._known(job_id)
            start_attempts = job.attempts if job else 0
            while job is not None and not self._settled(job, start_attempts):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.5))
                job = self._known(job_id)
            return dataclasses.replace(job) if job else None

    def _known(self, job_id: str) -> Job | None:
        """The job in memory, else as on disk (a printed job that has left memory)."""
        return self._jobs.get(job_id) or self._read_job(self.jobs_dir / f"{job_id}.json")

    def retry(self, job_id: str, reprint: bool = False) -> Job:
        """Send a kept job again now. A job already printed is sent again only with reprint=True,
        as a new job (so the register can tell the copy from the original)."""
        with self._cond:
            job = self._jobs.get(job_id) or self._read_job(self.jobs_dir / f"{job_id}.json")
            if job is None:
                raise SpoolError("printing.error.unknown_job", job=job_id)
            printed = job.state == "done" or (job.state == "sent" and not job.delivering)
            if printed and not reprint:
                return dataclasses.replace(job)
        if printed:
            try:
                data = self._read_data(job)
            except OSError as exc:
                raise SpoolError("printing.error.data_gone", job=job_id) from exc
            copy = self.submit(job.printer, job.kind, {job.format: data}, job.ref)
            with self._cond:
                self._jobs[copy.id].reprint_of = job.id
                self._persist(self._jobs[copy.id])
            return self.get(copy.id)
        with self._cond:
            if job.state == "sent" and job.delivering:
                return dataclasses.replace(job)  # a delivery is under way right now
            job.state = "pending"
            job.next_at = 0.0
            job.error_key, job.error_params = "", {}
            self._jobs[job.id] = job
            self._persist(job)
            self._cond.notify_all()
        self._ensure_worker(job.printer)
        self._notify(job)
        return dataclasses.replace(job)

    def cancel(self, job_id: str) -> Job:
        """Stop a job that has not printed yet (kept on disk as failed, with the reason)."""
        with self._cond:
            job = self._known(job_id)
            if job is None:
                raise SpoolError("printing.error.unknown_job", job=job_id)
            if job.state == "done":
                return dataclasses.replace(job)
            printer = self.printers.get(job.printer)
            if job.state == "sent" and job.remote and printer is not None:
                printer.cancel_remote(job.remote)
            job.state = "failed"
            job.error_key, job.error_params = "printing.job.cancelled", {}
            self._persist(job)
            self._cond.notify_all()
        self._notify(job)
        return dataclasses.replace(job)

    def wake(self, printer: str) -> None:
        """The printer came back (paper loaded, cable plugged): try its kept jobs now."""
        with self._cond:
            woke = False
            for job in self._jobs.values():
                if job.printer == printer and job.state == "pending" and job.next_at > time.time():
                    job.next_at = 0.0
                    woke = True
            if woke:
                self._cond.notify_all()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers, letting a delivery under way finish (bounded by `timeout`)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
            workers = list(self._workers.values())
        deadline = time.monotonic() + timeout
        for w in workers:
            w.join(max(0.0, deadline - time.monotonic()))

    # --- internals --------------------------------------------------------------------------------

    @staticmethod
    def _settled(job: Job, start_attempts: int) -> bool:
        if job.finished:
            return True
        return job.state == "pending" and job.attempts > start_attempts and bool(job.error_key)

    @staticmethod
    def _choose_format(printer, kind: str, content: dict) -> str:
        offered = [f for f in content if f in printer.formats]
        if not offered:
            raise SpoolError(
                "printing.error.no_format",
                name=printer.name,
                wanted=", ".join(sorted(printer.formats)),
                offered=", ".join(sorted(content)) or "-",
            )
        # a printer that takes both (the file printer) keeps letters as PDF and tickets as ESC/POS
        preferred = "pdf" if kind == "letter" else "escpos"
        return preferred if preferred in offered else offered[0]

    def _data_path(self, job: Job) -> Path:
        return self.jobs_dir / f"{job.id}.{job.format}"

    def _read_data(self, job: Job) -> bytes:
        return self._data_path(job).read_bytes()

    def _files_of(self, job: Job) -> tuple[Path, ...]:
        """Every file a job may have on disk, in the order they are removed when the job is forgotten: the
        record last, so a job whose record is gone has nothing left (a purge cut short leaves a finished
        record without its bytes, which is all a finished job needs)."""
        return self._data_path(job), self.jobs_dir / f"{job.id}.lock", self.jobs_dir / f"{job.id}.json"

    def _persist(self, job: Job, may_lag: bool = False) -> None:
        """Write the job's record. may_lag=True: after a power cut the record may still be the previous
        version (the new content is whole, the rename not yet flushed); only for a change whose loss
        is safe (see the module's docstring)."""
        job.updated_at = time.time()
        atomic_write(self.jobs_dir / f"{job.id}.json", orjson.dumps(job, option=orjson.OPT_INDENT_2), mode=0o600,
                     fsync_folder=not may_lag)

    def _read_job(self, path: Path) -> Job | None:
        try:
            return Job.from_dict(orjson.loads(path.read_bytes()))
        except FileNotFoundError:
            return None
        except (orjson.JSONDecodeError, TypeError) as exc:
            log.error("spool: unreadable job file %s: %s", path.name, exc)
            return None

    def _load(self) -> None:
        """Resume after a restart: pending and sent jobs are picked up; old finished ones removed."""
        remove_stale_temporaries(self.jobs_dir)
        horizon = time.time() - float(self.conf["keep_days"]) * 86400
        for path in sorted(self.jobs_dir.glob("*.json")):
            job = self._read_job(path)
            if job is None:
                continue
            if job.finished and job.updated_at < horizon:
                for p in self._files_of(job):
                    p.unlink(missing_ok=True)
                continue
            if job.state == "pending":
                job.next_at = 0.0
            self._jobs[job.id] = job
        self._purged_at = time.monotonic()

    def _trim(self) -> None:
        """Printed jobs beyond the newest MEMORY_DONE leave memory; they stay on disk until keep_days."""
        with self._cond:
            if len(self._jobs) <= 2 * MEMORY_DONE:
                return
            done = sorted((j for j in self._jobs.values() if j.state == "done"), key=lambda j: j.updated_at)
            for job in done[:-MEMORY_DONE]:
                del self._jobs[job.id]

    def _purge(self) -> None:
        """Forget finished jobs older than keep_days (at most once an hour, from a worker)."""
        self._trim()
        if time.monotonic() - self._purged_at < 3600:
            return
        horizon = time.time() - float(self.conf["keep_days"]) * 86400
        with self._cond:
            self._purged_at = time.monotonic()
            old = [j for j in self._jobs.values() if j.finished and j.updated_at < horizon]
            for job in old:
                del self._jobs[job.id]
            in_memory = set(self._jobs)
        for path in self.jobs_dir.glob("*.json"):  # printed jobs that already left memory
            if path.stem not in in_memory:
                job = self._read_job(path)
                if job is not None and job.finished and job.updated_at < horizon:
                    old.append(job)
        for job in old:
            for p in self._files_of(job):
                p.unlink(missing_ok=True)

    def _notify(self, job: Job) -> None:
        with self._cond:
            listeners = list(self._listeners)
        snapshot = dataclasses.replace(job)
        for fn in listeners:
            try:
                fn(snapshot)
            except Exception:
                log.exception("spool listener %r failed", fn)

    def _ensure_worker(self, printer: str) -> None:
        with self._cond:
            worker = self._workers.get(printer)
            if worker is not None and worker.is_alive() or self._stop.is_set():
                return
            worker = threading.Thread(target=self._work, args=(printer,), name=f"spool-{printer}", daemon=True)
            self._workers[printer] = worker
            worker.start()

    def _next_task(self, printer: str) -> Job | None:
        """Wait for the next job of this printer that is due (pending and past its backoff, or sent and
        due for a look in the backend's queue)."""
        with self._cond:
            while not self._stop.is_set():
                now = time.time()
                wake_at = now + 5.0
                for job in sorted(self._jobs.values(), key=lambda j: j.id):
                    if job.printer != printer:
                        continue
                    if job.state == "pending" or (job.state == "sent" and (job.remote or job.delivering)):
                        if job.next_at <= now:
                            return job
                        wake_at = min(wake_at, job.next_at)
                self._cond.wait(max(0.01, wake_at - now))
        return None

    def _work(self, printer_name: str) -> None:
        printer = self.printers.get(printer_name)
        while not self._stop.is_set():
            job = self._next_task(printer_name)
            if job is None:
                return
            try:
                if printer is None:
                    self._update(job, state="failed", error=("printing.error.unknown_printer", {"name": printer_name}))
                elif job.state == "pending":
                    self._attempt(printer, job)
                elif job.delivering:
                    self._resolve_in_doubt(printer, job)
                else:
                    self._track(printer, job)
            except Exception:  # never let a worker die: the job is kept and looked at again later
                log.exception("spool: job %s", job.id)
                with self._cond:
                    job.next_at = time.time() + float(self.conf["retry_max_s"])
            self._purge()

    def _update(self, job: Job, error: tuple[str, dict] | None = None, may_lag: bool = False, write: bool = True,
                **changes) -> None:
        """Change the job, write its record (unless write=False: a change only this process needs to
        see) and tell the listeners."""
        with self._cond:
            for key, value in changes.items():
                setattr(job, key, value)
            if error is not None:
                job.error_key, job.error_params = error
            if write:
                self._persist(job, may_lag)
            self._cond.notify_all()
        self._notify(job)

    def _backoff(self, attempts: int) -> float:
        base, top = float(self.conf["retry_base_s"]), float(self.conf["retry_max_s"])
        return min(top, base * (2 ** max(0, attempts - 1)))

    def _report(self, printer: str, status: str, detail: str = "") -> None:
        if self.on_result is not None:
            try:
                self.on_result(printer, status, detail)
            except Exception:
                log.exception("spool: printer state callback failed")

    def _claim(self, job: Job):
        """Lock the job against other processes; None when another one holds it."""
        fd = os.open(self.jobs_dir / f"{job.id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    @staticmethod
    def _release(fd) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @contextmanager
    def _claimed(self, job: Job):
        """Hold the job's lock for the block (True); if another process holds it, look again in a second (False)."""
        fd = self._claim(job)
        if fd is None:
            with self._cond:
                job.next_at = time.time() + 1.0
            yield False
            return
        try:
            yield True
        finally:
            self._release(fd)

    def _attempt(self, printer, job: Job) -> None:
        with self._claimed(job) as mine:
            if not mine:
                return
            disk = self._read_job(self.jobs_dir / f"{job.id}.json")
            if disk is not None and (disk.state != "pending" or disk.updated_at > job.updated_at):
                with self._cond:  # another process moved it on: take its view
                    self._jobs[job.id] = disk
                    self._cond.notify_all()
                if disk.state != "pending":
                    return
                job = disk
            try:
                data = self._read_data(job)
            except OSError:
                self._update(job, state="failed", error=("printing.error.data_gone", {"job": job.id}))
                return
            # Flushed before the first byte leaves, so a kill or power cut during delivery leaves the job
            # in doubt, not pending. Where a second delivery is harmless, "pending" after a kill is as
            # safe (it is delivered again, to the same place) and the mark is not written at all; the
            # job's lock keeps other processes off it meanwhile.
            self._update(job, state="sent", delivering=True, attempts=job.attempts + 1,
                         write=not printer.redelivery_harmless)
            try:
                remote = printer.deliver(job, data)
            except PrinterError as exc:
                self._report(printer.name, exc.status, exc.detail)
                if exc.in_doubt:
                    self._update(job, state="failed", delivering=False,
                                 error=("printing.job.in_doubt", {"status": exc.status}))
                else:
                    self._update(job, state="pending", delivering=False, next_at=time.time() + self._backoff(job.attempts),
                                 error=("printing.job.kept", {"status": exc.status}))
                return
            if remote and printer.tracks_jobs:
                self._update(job, state="sent", delivering=False, remote=remote, released=not printer.two_phase,
                             next_at=time.time() + float(self.conf["track_s"]), error=("", {}))
                self._release_remote(printer, job)
            else:
                # May lag where the backend can tell afterwards that the job got through: it then reads
                # "sent"+"delivering" and is resolved by asking it. Elsewhere (ESC/POS) it is flushed before
                # the listeners hear of it: a letter the register records as printed never comes back
                # from a power cut as "in doubt", nor a ticket as failed.
                self._update(job, state="done", delivering=False, error=("", {}), may_lag=printer.finds_jobs)
            self._report(printer.name, "ready", "")

    def _resolve_in_doubt(self, printer, job: Job) -> None:
        """A job left half-sent by a killed process (see the module's docstring)."""
        with self._claimed(job) as mine:
            if not mine:
                return
            # What we read may be another process's delivery in flight (we started while it sent): under
            # the lock, its record on disk is the truth. Moved on since, it is taken as it stands; judged
            # as half-sent, it would be failed "in doubt" although it printed or was put back as pending.
            disk = self._read_job(self.jobs_dir / f"{job.id}.json")
            if disk is not None and disk.updated_at != job.updated_at:
                with self._cond:
                    self._jobs[job.id] = disk
                    self._cond.notify_all()
                return
            try:
                found = printer.find_remote(job)
            except PrinterError:
                with self._cond:
                    job.next_at = time.time() + self._backoff(job.attempts or 1)
                return
            if found is not None:
                if printer.tracks_jobs:
                    self._update(job, state="sent", delivering=False, remote=found, released=not printer.two_phase,
                                 next_at=0.0, error=("", {}))
                else:
                    self._update(job, state="done", delivering=False, output=job.output or found, error=("", {}),
                                 may_lag=True)  # lagging, it is resolved again the same way
            elif printer.finds_jobs:  # it would know the job if it had got through: send it again
                self._update(job, state="pending", delivering=False, next_at=0.0)
            else:
                self._update(job, state="failed", delivering=False,
                             error=("printing.job.in_doubt", {"status": "unknown"}))

    def _release_remote(self, printer, job: Job) -> bool:
        """Let a held job print, now that its remote id is on disk (see backends/cups.py)."""
        if job.released:
            return True
        try:
            printer.release(job.remote)
        except PrinterError as exc:
            log.warning("spool: cannot release %s (%s): %s", job.id, job.remote, exc.detail)
            return False
        self._update(job, released=True)
        return True

    def _track(self, printer, job: Job) -> None:
        if not self._release_remote(printer, job):
            with self._cond:
                job.next_at = time.time() + self._backoff(job.attempts or 1)
            return
        status, detail = printer.remote_status(job.remote)
        if status == "done":  # lagging, it reads "sent" and is looked up in the backend's queue again
            self._update(job, state="done", error=("", {}), may_lag=True)
        elif status == "failed":
            self._update(job, state="failed", error=("printing.job.remote_failed", {"detail": detail}))
        else:
            state = self.state_of(printer.name) if self.state_of else None
            error = ("printing.job.held", {"status": state.status}) if state is not None and state.blocking else ("", {})
            with self._cond:
                job.next_at = time.time() + float(self.conf["track_s"])
                changed = (job.error_key, job.error_params) != error
            if changed:
                self._update(job, error=error)
