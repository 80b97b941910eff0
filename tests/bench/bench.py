"""`make bench`: every performance figure of DESIGN §13, measured here, beside its target.

Prints one table and writes bench-results.json (seconds and bytes). Baselines measured in the same
run (a plain TinyDB Query on the same residents) are printed beside the figures they compare to.
It never fails on a slow machine: figures are for reading, not asserting.

Besides the residents figures it runs, each in a fresh process: the letters benchmark
(appliance.letters.bench: render_pdf_s, render_escpos_s, issue_s), the UI tour (`semenit ui-tour`,
under an Xvfb started here when there is no DISPLAY: ui_flow_s) and the 10,000-letter soak
(tests/proof/soak.py: soak_rss_growth, issue_slope_s_per_1k). BENCH_SOAK_LETTERS changes the soak's size.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tinydb import Query, TinyDB  # noqa: E402

from appliance.residents import demo  # noqa: E402
from appliance.residents.importing import commit_import, plan_import  # noqa: E402
from appliance.residents.store import ResidentStore  # noqa: E402

N = int(os.environ.get("BENCH_RESIDENTS", "100000"))
SOAK_LETTERS = int(os.environ.get("BENCH_SOAK_LETTERS", "10000"))
TARGETS = {
    "lookup_p99_s": ("<=", 20e-6),
    "lookup_speedup": (">=", 10_000),
    "import_csv_s": ("<=", 5.0),
    "import_xlsx_s": ("<=", 20.0),
    "load_s": ("<=", 1.0),
    "render_pdf_s": ("<=", 0.025),
    "render_escpos_s": ("<=", 0.005),
    "issue_s": None,  # no target of its own: part of ui_flow_s
    "ui_flow_s": ("<=", 1.5),
    "rss_bytes": ("<=", 200 * 1024 * 1024),
    "soak_rss_growth": ("<=", 0.10),  # issue 7: memory flat over 10,000 letters (after warm-up)
    # issue 7: issue time must not grow with the register; 1 ms more per 1,000 letters would be a trend
    "issue_slope_s_per_1k": ("<=", 0.001),
}
# What a figure is compared with: a key measured in the same run, or a fixed reference with its source.
BASELINES = {
    "lookup_p99_s": ("tinydb_query_median_s", "plain TinyDB Query, same data"),
    "lookup_speedup": ("tinydb_query_median_s", "plain TinyDB Query, same data"),
    "render_pdf_s": (0.035, "naive reportlab letter (DESIGN §14)"),
    # issue 12: a failed check takes the same time whether or not the NIK exists or has a PIN
    "identify_unknown_s": ("identify_pin_s", "a NIK with a PIN, same run"),
    "identify_pinless_s": ("identify_pin_s", "a NIK with a PIN, same run"),
}

LOAD_CHILD = r"""
import sys, time
t0 = time.perf_counter()
from appliance.residents.store import ResidentStore
store = ResidentStore.open(sys.argv[1])
assert store.get(sys.argv[2]) is not None
t1 = time.perf_counter()
rss = int(open("/proc/self/statm").read().split()[1]) * __import__("os").sysconf("SC_PAGE_SIZE")
print(t1 - t0, rss)
"""


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def import_into(home: Path, path: Path) -> float:
    home.mkdir(parents=True, exist_ok=True)
    store = ResidentStore.open(home)

    def run():
        commit_import(plan_import(path, store), store)

    seconds, _ = timed(run)
    assert len(store) == N, len(store)
    return seconds


def lookups(store: ResidentStore, niks: list[str]) -> tuple[float, float]:
    get = store.get
    clock = time.perf_counter_ns
    samples = []
    for nik in niks:
        t0 = clock()
        get(nik)
        samples.append(clock() - t0)
    samples.sort()
    return samples[len(samples) // 2] / 1e9, samples[int(len(samples) * 0.99)] / 1e9


def tinydb_baseline(store: ResidentStore, work: Path, niks: list[str]) -> float:
    """A plain TinyDB (its own JSONStorage, a Query per look-up) over the same residents."""
    path = work / "plain-tinydb.json"
    with TinyDB(path) as db:
        db.table("residents").insert_multiple(r._asdict() for r in store)
    times = []
    with TinyDB(path) as db:
        table = db.table("residents")
        for nik in niks[:7]:
            t0 = time.perf_counter()
            assert table.search(Query().nik == nik)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def load_in_fresh_process(home: Path, nik: str) -> tuple[float, int]:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", LOAD_CHILD, str(home), nik], capture_output=True, text=True,
                             check=True, cwd=REPO).stdout.split()
        runs.append((float(out[0]), int(out[1])))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def letters_figures(store: ResidentStore, home: Path) -> dict:
    try:
        from appliance.letters.bench import measure
    except ImportError as exc:
        print(f"(letters benchmark not available: {exc})")
        return {}
    return measure(store, home)


def identity_figures(store: ResidentStore, home: Path) -> dict:
    from appliance.identity.bench import measure

    return measure(store, home)


def ui_figures(work: Path) -> dict:
    """`semenit ui-tour` drives the real kiosk; tour.json's flow_s is home -> letter job sent."""
    out = work / "tour"
    command = [sys.executable, "-m", "appliance", "ui-tour", str(out), "--sizes", "1280x800", "--languages", "id"]
    env = {**os.environ, "KIVY_HOME": str(work / "kivy"), "KIVY_NO_ARGS": "1"}
    try:
        if env.get("DISPLAY"):
            proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
        else:
            from appliance.uix.xvfb import virtual_display

            with virtual_display(force=True) as display:
                env["DISPLAY"] = display
                proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    except (subprocess.TimeoutExpired, RuntimeError) as exc:
        print(f"(UI flow not measured: {exc})")
        return {}
    tour = out / "tour.json"
    if proc.returncode != 0 or not tour.exists():
        print(f"(UI flow not measured: {(proc.stderr or proc.stdout).strip().splitlines()[-1:] or proc.returncode})")
        return {}
    return {"ui_flow_s": json.loads(tour.read_text())["flow_s"]}


def soak_figures() -> dict:
    """10,000 letters back to back in a fresh process (tests/proof/soak.py)."""
    try:
        proc = subprocess.run([sys.executable, "-m", "tests.proof.soak", str(SOAK_LETTERS)], cwd=REPO,
                              capture_output=True, text=True, timeout=3600)
    except subprocess.TimeoutExpired:
        print("(soak timed out)")
        return {}
    if proc.returncode != 0:
        print(f"(soak failed: {proc.stderr.strip().splitlines()[-1:]})")
        return {}
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    if not figures.get("register_ok"):
        print("(soak: the register did not verify)")
    return {"soak_letters": figures["letters"], "soak_rss_growth": figures["soak_rss_growth"],
            "issue_slope_s_per_1k": figures["issue_slope_s_per_1k"],
            "soak_issue_median_s": figures["issue_median_s"], "soak_register_verify_s": figures["register_verify_s"]}


def main() -> int:
    results: dict[str, float] = {"residents": N}
    with tempfile.TemporaryDirectory(prefix="semenit-bench-") as tmp:
        work = Path(tmp)
        os.environ["SEMENIT_HOME"] = str(work / "home")
        os.environ["SEMENIT_CONFIG"] = str(work / "none.toml")
        people = demo.generate(N, seed=42)
        csv_path, xlsx_path = work / "penduduk.csv", work / "penduduk.xlsx"
        demo.write_csv(people, csv_path)
        demo.write_xlsx(people, xlsx_path)
        results["import_csv_s"] = import_into(work / "home", csv_path)
        results["import_xlsx_s"] = import_into(work / "home-xlsx", xlsx_path)
        store = ResidentStore.open(work / "home")
        rng = random.Random(1)
        niks = [p["nik"] for p in rng.choices(people, k=100_000)]
        results["lookup_p50_s"], results["lookup_p99_s"] = lookups(store, niks)
        results["tinydb_query_median_s"] = tinydb_baseline(store, work, niks)
        results["lookup_speedup"] = results["tinydb_query_median_s"] / results["lookup_p99_s"]
        results["load_s"], results["rss_bytes"] = load_in_fresh_process(work / "home", niks[0])
        results.update(letters_figures(store, work / "home"))
        results.update(identity_figures(store, work / "home"))
        results.update(ui_figures(work))
        results.update(soak_figures())
    print_table(results)
    (REPO / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


def fmt(key: str, value: float) -> str:
    if key == "soak_rss_growth":
        return f"{value * 100:+.1f} %"
    if key.endswith("_per_1k"):
        return f"{value * 1e3:+.3f} ms"
    if key.endswith("_bytes"):
        return f"{value / 1024 / 1024:.1f} MB"
    if key.endswith("_s"):
        return f"{value * 1e6:.1f} µs" if value < 1e-3 else f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def print_table(results: dict) -> None:
    print(f"\nSemenit benchmark — {N:,} residents, {SOAK_LETTERS:,} letters in the soak, {os.cpu_count()} cores\n")
    print(f"{'figure':24} {'measured':>12} {'target':>12}  {'ok':3} baseline")
    order = list(TARGETS) + [k for k in results if k not in TARGETS and k != "residents"]
    for key in order:
        if key not in results:
            print(f"{key:24} {'not measured':>12} {_target(key):>12}  NO")
            continue
        value = results[key]
        target = TARGETS.get(key)
        ok = ""
        if target:
            op, limit = target
            ok = "yes" if (value <= limit if op == "<=" else value >= limit) else "NO"
        print(f"{key:24} {fmt(key, value):>12} {_target(key):>12}  {ok:3} {_baseline(key, results)}")


def _target(key: str) -> str:
    target = TARGETS.get(key)
    return f"{target[0]} {fmt(key, target[1])}" if target else ""


def _baseline(key: str, results: dict) -> str:
    base = BASELINES.get(key)
    if base is None:
        return ""
    ref, label = base
    value = results.get(ref) if isinstance(ref, str) else ref
    if value is None:
        return label
    shown = fmt("x_s", value)
    return f"{shown} ({label})"


if __name__ == "__main__":
    raise SystemExit(main())
