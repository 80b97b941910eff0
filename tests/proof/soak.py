"""Letters issued back to back through LetterService and the `file` printer: memory and issue time over
the register's growth. Used by tests/proof/test_proof_soak.py (2,000 letters in `make test`) and by
`make bench` (10,000 letters: soak_rss_growth, issue_slope_s_per_1k).

    python -m tests.proof.soak N        # prints the figures as JSON (a fresh home with 200 demo residents)
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def bytes_read() -> int:
    """Bytes this process has read through system calls so far (all threads): a work measure that a busy
    machine cannot inflate, unlike time."""
    with open("/proc/self/io") as fh:
        return int(next(line for line in fh if line.startswith("rchar:")).split()[1])


def slope_per_1k(times: list[float]) -> float:
    """Least-squares slope of issue time against the letter's position, in seconds per 1,000 letters."""
    n = len(times)
    xs = range(n)
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(times)
    num = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, times, strict=True))
    den = sum((x - mean_x) ** 2 for x in xs)
    return num / den * 1000 if den else 0.0


def soak(home: Path, count: int, warmup: int = 300) -> dict:
    from appliance.config import Settings
    from appliance.letters.register import Register
    from appliance.letters.service import LetterService
    from appliance.printing import open_printers
    from appliance.residents.store import ResidentStore
    from tests.proof.conftest import letter_requests

    settings = Settings()
    printers = open_printers(settings, home)
    store = ResidentStore.open(home)
    svc = LetterService(settings, home, store, printers)
    requests = letter_requests(store, limit=16)
    times: list[float] = []
    cpu: list[float] = []  # the process's CPU time per issue
    reads: list[int] = []  # bytes read per letter, issue to printed: grows if anything is read in full
    rss_after_warmup = 0
    try:
        for i in range(count):
            code, nik, fields = requests[i % len(requests)]
            started, started_cpu, started_read = time.perf_counter(), time.process_time(), bytes_read()
            letter = svc.issue(code, nik, fields)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            done = svc.wait(letter, 30)
            assert done.outcome == "done", (letter.number, done.outcome, done.error)
            reads.append(bytes_read() - started_read)
            if i + 1 == warmup:
                gc.collect()
                rss_after_warmup = rss_bytes()
        gc.collect()
        rss_end = rss_bytes()
    finally:
        svc.close()
        printers.close()
    started = time.perf_counter()
    report = Register(home).verify()
    verify_s = time.perf_counter() - started
    steady = times[warmup:]
    steady_cpu = cpu[warmup:]
    steady_reads = reads[warmup:]
    tenth = max(1, len(steady) // 10)
    return {
        "letters": count,
        "issue_median_s": statistics.median(steady),
        "issue_first_tenth_s": statistics.fmean(steady[:tenth]),
        "issue_last_tenth_s": statistics.fmean(steady[-tenth:]),
        "issue_slope_s_per_1k": slope_per_1k(steady),
        "issue_cpu_first_tenth_s": statistics.fmean(steady_cpu[:tenth]),
        "issue_cpu_last_tenth_s": statistics.fmean(steady_cpu[-tenth:]),
        "issue_cpu_slope_s_per_1k": slope_per_1k(steady_cpu),
        "read_first_tenth_bytes": statistics.fmean(steady_reads[:tenth]),
        "read_last_tenth_bytes": statistics.fmean(steady_reads[-tenth:]),
        "rss_after_warmup_bytes": rss_after_warmup,
        "rss_end_bytes": rss_end,
        "soak_rss_growth": rss_end / rss_after_warmup - 1,
        "register_ok": report.ok,
        "register_entries": report.count,
        "register_verify_s": verify_s,
    }


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(prefix="semenit-soak-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        os.environ["SEMENIT_HOME"] = str(home)
        os.environ["SEMENIT_CONFIG"] = str(home / "none.toml")
        from appliance.residents import demo
        from appliance.residents.importing import commit_import, plan_import
        from appliance.residents.store import ResidentStore

        demo.write_csv(demo.generate(200, seed=1), Path(tmp) / "demo.csv")
        store = ResidentStore.open(home)
        commit_import(plan_import(Path(tmp) / "demo.csv", store), store)
        figures = soak(home, count)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    raise SystemExit(main())
