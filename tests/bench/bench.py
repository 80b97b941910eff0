"""`make bench`: every performance figure of DESIGN §13, measured here, beside its target.

Prints one table and writes bench-results.json (seconds and bytes). Baselines measured in the same
run (a plain TinyDB Query on the same residents) are printed beside the figures they compare to.
It never fails on a slow machine: figures are for reading, not asserting.

Cold figures (issue 17) are ratios to a bare `python -c pass` started in the same run, so this machine's
noise cancels out: `semenit residents find`, `semenit letter issue` and `semenit queue take`, each a
fresh process on the 100,000-resident store. The warm letter (issue() until its PDF is on disk) is
compared with a naive reportlab letter written to disk in the same run. The kiosk's start is timed from
`semenit run --demo`'s process start to its READY=1 (home screen shown) on the same store.

The cold figures are taken with the app byte-compiled first (compile_app), as a unit runs it.
BENCH_ONLY=cold,warm,kiosk (any of residents, letters, identity, cold, warm, kiosk, ui, soak) runs only
those parts.

Besides the residents figures it runs, each in a fresh process: the letters benchmark
(appliance.letters.bench: render_pdf_s, render_escpos_s, issue_s), the UI tour (`semenit ui-tour`,
under an Xvfb started here when there is no DISPLAY: ui_flow_s) and the 10,000-letter soak
(tests/proof/soak.py: soak_rss_growth, issue_slope_s_per_1k). BENCH_SOAK_LETTERS changes the soak's size.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
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
    # issue 17: cold commands as multiples of a bare interpreter start, measured in the same run
    "cold_find_ratio": ("<=", 5.0),
    "cold_letter_ratio": ("<=", 10.0),
    "cold_queue_ratio": ("<=", 5.0),
    "warm_letter_s": ("<=", 0.015),
    "kiosk_start_s": ("<=", 3.0),
}
# What a figure is compared with: a key measured in the same run, or a fixed reference with its source.
BASELINES = {
    "lookup_p99_s": ("tinydb_query_median_s", "plain TinyDB Query, same data"),
    "lookup_speedup": ("tinydb_query_median_s", "plain TinyDB Query, same data"),
    "render_pdf_s": (0.035, "naive reportlab letter (DESIGN §14)"),
    # issue 12: a failed check takes the same time whether or not the NIK exists or has a PIN
    "identify_unknown_s": ("identify_pin_s", "a NIK with a PIN, same run"),
    "identify_pinless_s": ("identify_pin_s", "a NIK with a PIN, same run"),
    "cold_find_ratio": ("bare_python_s", "bare `python -c pass`, same run"),
    "cold_letter_ratio": ("bare_python_s", "bare `python -c pass`, same run"),
    "cold_queue_ratio": ("bare_python_s", "bare `python -c pass`, same run"),
    "warm_letter_s": ("naive_letter_s", "naive reportlab letter to disk, same run"),
}
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "7"))

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


def kiosk_figures(work: Path, home: Path, rounds: int = 3) -> dict:
    """`semenit run --demo` on the store of N residents, from its process start until it tells systemd
    READY=1, which the app sends once the home screen is the current screen (uix/app.py `_ready`), the
    kiosk's own start-up signal on a unit. A first start (not counted) sets the demo PIN and Kivy's files."""
    compile_app()
    env = {**os.environ, "SEMENIT_HOME": str(home), "KIVY_HOME": str(work / "kivy-start"), "KIVY_NO_ARGS": "1",
           "KIVY_NO_CONSOLELOG": "1"}
    env.pop("WATCHDOG_USEC", None)
    try:
        if env.get("DISPLAY"):
            return {"kiosk_start_s": _kiosk_starts(env, work, rounds)}
        from appliance.uix.xvfb import virtual_display

        with virtual_display(force=True) as display:
            env["DISPLAY"] = display
            return {"kiosk_start_s": _kiosk_starts(env, work, rounds)}
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"(kiosk start not measured: {exc})")
        return {}


def _kiosk_starts(env: dict, work: Path, rounds: int) -> float:
    path = work / "notify.sock"
    times = []
    for round_ in range(rounds + 1):
        path.unlink(missing_ok=True)
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(str(path))
            sock.settimeout(60)
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "appliance", "run", "--demo"], cwd=REPO,
                                    env={**env, "NOTIFY_SOCKET": str(path)}, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            try:
                while sock.recv(64) != b"READY=1":
                    pass
                if round_ > 0:
                    times.append(time.perf_counter() - t0)
            except TimeoutError as exc:
                raise RuntimeError(f"no READY=1 within 60 s: {proc.stderr.read1(2000) if proc.poll() else ''}") \
                    from exc
            finally:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    return statistics.median(times)


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


def _median_run(argv: list[str], env: dict, rounds: int = COLD_ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        proc = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:5])}: {(proc.stderr or proc.stdout).strip()[-300:]}")
    return statistics.median(times)


def compile_app() -> None:
    """Byte-compile the app, as pip does when it installs it on a unit: a cold command then loads .pyc
    files, as there. (A checkout run with PYTHONDONTWRITEBYTECODE=1, as on the development machines, would
    otherwise compile every module of the app from source on every start, ~30 ms that no unit pays.)"""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "appliance"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)


def cold_figures(home: Path, store: ResidentStore) -> dict:
    """Each command in a fresh process, interleaved rounds against a bare interpreter of the same run."""
    compile_app()
    from appliance.letters.catalog import load_catalog
    from appliance.letters.samples import eligible_resident

    env = {**os.environ, "SEMENIT_HOME": str(home)}
    template = load_catalog().get("PENGANTAR")
    resident = eligible_resident(template, store, __import__("datetime").date.today())
    semenit = [sys.executable, "-m", "appliance"]
    out = {"bare_python_s": _median_run([sys.executable, "-c", "pass"], env)}
    try:
        out["cold_find_s"] = _median_run(semenit + ["residents", "find", resident.nik], env)
        out["cold_letter_s"] = _median_run(semenit + ["letter", "issue", "PENGANTAR", "--nik", resident.nik,
                                                      "--field", "keperluan=Melamar pekerjaan", "--wait", "10"], env)
        out["cold_queue_s"] = _median_run(semenit + ["queue", "take"], env)
    except RuntimeError as exc:
        print(f"(cold figures not measured: {exc})")
        return out
    out["bare_python_s"] = statistics.median([out["bare_python_s"],
                                              _median_run([sys.executable, "-c", "pass"], env)])
    for name in ("find", "letter", "queue"):
        out[f"cold_{name}_ratio"] = out[f"cold_{name}_s"] / out["bare_python_s"]
    return out


def naive_letter_s(work: Path, rounds: int = 30) -> float:
    """The baseline of the warm letter: a plain reportlab page of a letter's length, written to disk."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    times = []
    for i in range(rounds):
        t0 = time.perf_counter()
        c = canvas.Canvas(str(work / f"naive-{i}.pdf"), pagesize=A4)
        y = 800
        for line in range(40):
            c.drawString(72, y, f"Baris {line} surat keterangan: nama, NIK, alamat, keperluan, tanggal.")
            y -= 16
        c.showPage()
        c.save()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def warm_letter_s(store: ResidentStore, home: Path, rounds: int = 30) -> float:
    """issue() until the letter's PDF is on disk (the `file` printer), in this warm process."""
    from appliance.config import Settings
    from appliance.letters.samples import eligible_resident
    from appliance.letters.service import LetterService
    from appliance.printing import open_printers

    settings = Settings()
    printers = open_printers(settings, home)
    svc = LetterService(settings, home, store, printers)
    try:
        template = svc.catalog.get("PENGANTAR")
        nik = eligible_resident(template, store, svc.today()).nik
        fields = {"keperluan": "Melamar pekerjaan"}
        svc.wait(svc.issue("PENGANTAR", nik, fields), timeout=30)  # fonts, letterhead: once per process
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            issued = svc.wait(svc.issue("PENGANTAR", nik, fields), timeout=30)
            times.append(time.perf_counter() - t0)
            assert issued.files and Path(issued.files[-1]).exists(), issued
        return statistics.median(times)
    finally:
        svc.close()
        printers.close()


def wanted(part: str) -> bool:
    """BENCH_ONLY=cold,warm,... runs only those parts (the store of N residents is always built)."""
    only = {p.strip() for p in os.environ.get("BENCH_ONLY", "").split(",") if p.strip()}
    return not only or part in only


def main() -> int:
    results: dict[str, float] = {"residents": N}
    with tempfile.TemporaryDirectory(prefix="semenit-bench-") as tmp:
        work = Path(tmp)
        os.environ["SEMENIT_HOME"] = str(work / "home")
        os.environ["SEMENIT_CONFIG"] = str(work / "none.toml")
        # The app's own cache (the parsed i18n catalogs, escpos's profiles), as a unit has it: one install's.
        # The shared per-user default is rewritten by every other checkout on the machine.
        os.environ["SEMENIT_CACHE"] = str(work / "cache")
        people = demo.generate(N, seed=42)
        csv_path, xlsx_path = work / "penduduk.csv", work / "penduduk.xlsx"
        demo.write_csv(people, csv_path)
        results["import_csv_s"] = import_into(work / "home", csv_path)
        store = ResidentStore.open(work / "home")
        if wanted("residents"):
            demo.write_xlsx(people, xlsx_path)
            results["import_xlsx_s"] = import_into(work / "home-xlsx", xlsx_path)
            rng = random.Random(1)
            niks = [p["nik"] for p in rng.choices(people, k=100_000)]
            results["lookup_p50_s"], results["lookup_p99_s"] = lookups(store, niks)
            results["tinydb_query_median_s"] = tinydb_baseline(store, work, niks)
            results["lookup_speedup"] = results["tinydb_query_median_s"] / results["lookup_p99_s"]
            results["load_s"], results["rss_bytes"] = load_in_fresh_process(work / "home", niks[0])
        if wanted("letters"):
            results.update(letters_figures(store, work / "home"))
        if wanted("identity"):
            results.update(identity_figures(store, work / "home"))
        if wanted("cold"):
            results.update(cold_figures(work / "home", store))
        if wanted("warm"):
            results["naive_letter_s"] = naive_letter_s(work)
            results["warm_letter_s"] = warm_letter_s(store, work / "home")
        if wanted("kiosk"):
            results.update(kiosk_figures(work, work / "home"))
        if wanted("ui"):
            results.update(ui_figures(work))
        if wanted("soak"):
            results.update(soak_figures())
    print_table(results)
    (REPO / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


def fmt(key: str, value: float) -> str:
    if key == "soak_rss_growth":
        return f"{value * 100:+.1f} %"
    if key.endswith("_per_1k"):
        return f"{value * 1e3:+.3f} ms"
    if key.endswith("_ratio"):
        return f"{value:.2f}x"
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
