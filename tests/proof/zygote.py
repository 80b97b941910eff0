"""A long-lived helper for the SIGKILL tests: imports the appliance once, then forks one worker per run.

Why: starting Python and importing reportlab, tinydb and the printing stack costs about half a second;
forking an already-warm process costs a few milliseconds. The test asks for a run with one JSON line on
stdin; the worker announces itself with `start <pid>`, does real operations in a loop (printing one line
after each one is durable), and is killed by the test with SIGKILL at a random moment. The zygote
reaps it and prints `exit <pid> <status>`.

    {"mode": "letters" | "queue" | "spool" | "store", "home": "...", "seed": 1, ...}

Modes (each worker runs until killed, or for `ops` operations when given):
    letters  LetterService.issue through the `file` printer, a void now and then   -> "issued <number>"
    queue    QueueService.take with a ticket through the spool                      -> "ticket <day> <n>"
    spool    ESC/POS jobs to a network printer, each retried while kept             -> "job <id> <marker>"
    store    alternate full imports of two files and rollbacks                     -> "intent <digest>" then
             "state <digest>" (the digest of what the store will hold / holds)
    drain    resume the spool and wait until no job is left pending or sending     -> "drained <n>"
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.config import Settings  # noqa: E402
from appliance.letters.service import LetterService  # noqa: E402
from appliance.printing import open_printers  # noqa: E402
from appliance.queue import QueueService  # noqa: E402
from appliance.render import letter_pdf as _pdf  # noqa: E402,F401 - warm import (reportlab)
from appliance.residents.importing import commit_import, plan_import  # noqa: E402
from appliance.residents.store import ResidentStore  # noqa: E402
from appliance.storage.tinydb_storage import PackedStorage  # noqa: E402


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def rows_digest(rows) -> str:
    """Order-independent digest of a population (rows are lists in FIELDS order, NIK first)."""
    return hashlib.sha256(orjson.dumps(sorted(rows, key=lambda r: r[0]))).hexdigest()[:16]


def store_digest(home: Path) -> str:
    return rows_digest(list(ResidentStore.open(home).rows().values()))


def _settings(cmd: dict) -> Settings:
    return Settings(cmd.get("settings") or {})


def run_letters(cmd: dict, rng: random.Random) -> None:
    home = Path(cmd["home"])
    settings = _settings(cmd)
    printers = open_printers(settings, home)
    svc = LetterService(settings, home, ResidentStore.open(home), printers)
    requests = [tuple(r) for r in cmd["requests"]]
    for i in range(int(cmd.get("ops", 10**9))):
        code, nik, fields = requests[rng.randrange(len(requests))]
        letter = svc.issue(code, nik, fields)
        say(f"issued {letter.number}")
        if i % 5 == 4:
            svc.void(letter.number, "uji pembatalan")
            say(f"voided {letter.number}")
    for letter_job in printers.spool.jobs(("pending", "sent")):
        printers.spool.wait(letter_job.id, 10)


def run_queue(cmd: dict, rng: random.Random) -> None:
    home = Path(cmd["home"])
    settings = _settings(cmd)
    printers = open_printers(settings, home)
    queue = QueueService(settings, home, printers)
    for _ in range(int(cmd.get("ops", 10**9))):
        ticket = queue.take()
        say(f"ticket {ticket.day} {ticket.number}")


def run_spool(cmd: dict, rng: random.Random) -> None:
    home = Path(cmd["home"])
    printers = open_printers(_settings(cmd), home)
    spool = printers.spool
    for _ in range(int(cmd.get("ops", 10**9))):
        marker = f"<JOB-{rng.getrandbits(48):012x}>"
        job = spool.submit(kind="ticket", content={"escpos": b"\x1b@" + marker.encode() * 50 + b"\n\x1dV\x00"},
                           ref=marker)
        say(f"job {job.id} {marker}")
        for _attempt in range(4):
            now = spool.wait(job.id, 0.3)
            if now is None or now.finished:
                break
            spool.retry(job.id)  # the operator's "try again" while it is kept
        spool.retry(job.id)  # a retry of a printed job must not print it again


def run_store(cmd: dict, rng: random.Random) -> None:
    home = Path(cmd["home"])
    files = [Path(p) for p in cmd["files"]]
    store = ResidentStore.open(home)
    for _ in range(int(cmd.get("ops", 10**9))):
        if store.backups() and rng.random() < 0.35:
            newest = store.backups()[0]
            packed = PackedStorage(newest).read_packed()
            say(f"intent {rows_digest(packed['tables']['residents']['rows'])}")
            store.rollback()
        else:
            plan = plan_import(files[rng.randrange(len(files))], store, mode="full")
            if not plan.report.has_changes:
                continue
            say(f"intent {rows_digest(plan.rows)}")
            commit_import(plan, store, confirm_mass_absent=True)
        say(f"state {rows_digest(list(store.rows().values()))}")


def run_drain(cmd: dict, rng: random.Random) -> None:
    home = Path(cmd["home"])
    settings = _settings(cmd)
    printers = open_printers(settings, home)
    svc = LetterService(settings, home, ResidentStore.open(home), printers) if cmd.get("letters") else None
    deadline = time.monotonic() + float(cmd.get("timeout", 20))
    while time.monotonic() < deadline and printers.spool.jobs(("pending", "sent")):
        time.sleep(0.05)
    left = len(printers.spool.jobs(("pending", "sent")))
    if svc is not None:
        svc.close()
    printers.close()
    say(f"drained {left}")


MODES = {"letters": run_letters, "queue": run_queue, "spool": run_spool, "store": run_store, "drain": run_drain}


def main() -> None:
    say("zygote ready")
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = orjson.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.environ["SEMENIT_HOME"] = cmd["home"]
                os.environ["SEMENIT_CONFIG"] = str(Path(cmd["home"]) / "none.toml")
                say(f"start {os.getpid()}")
                MODES[cmd["mode"]](cmd, random.Random(cmd.get("seed", 0)))
            except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
                say(f"error {type(exc).__name__}: {exc}")
                code = 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {status}")


if __name__ == "__main__":
    main()
