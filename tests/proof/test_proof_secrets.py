"""No unmasked NIK and no PIN in anything that is a log: after the CLI flows an operator and a technician
run (import, letters, verify, queue, printers, operator PIN, selftest, and their error paths) and a UI
tour, every captured stdout/stderr, every log or crash file, and every file under SEMENIT_HOME that is not
the data itself is searched. The data files (resident store, register, printed letters) must be 0600/0640."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import orjson

from appliance.residents.importing import commit_import, plan_import
from appliance.residents.store import ResidentStore
from tests.conftest import FIXTURES_DIR
from tests.proof.conftest import REPO, letter_requests

PIN = "739146"
RESIDENT_PIN = "508217"
# Data, not logs: what the village keeps on purpose (the store, its backups, the register, letters).
DATA = ("residents.json", "residents.nikindex", "backups/", "letters/register.jsonl", "letters/deaths.json",
        "printed/", "spool/data/", "ekspor/")


def _spool_bytes(rel: str) -> bool:
    """A print job's bytes (a letter as printed), kept beside its record in spool/jobs/; the record is searched."""
    return rel.startswith("spool/jobs/") and not rel.endswith(".json")


def _all_niks() -> set[str]:
    """Every NIK of the residents the flows import: the OpenSID fixture and the UI tour's demo village."""
    import tempfile

    from appliance.residents import demo

    niks = set()
    with tempfile.TemporaryDirectory() as tmp:
        store = ResidentStore.open(Path(tmp))
        commit_import(plan_import(FIXTURES_DIR / "contoh_penduduk.xlsx", store), store)
        niks |= {r.nik for r in store}
    for size in (200, 300, 500):  # the demo village sizes the UI and tests use (seeded)
        niks |= {p["nik"] for p in demo.generate(size, seed=1)}
    return niks


def _run(args: list[str], env: dict, captured: list, stdin: str | None = None, timeout: float = 120) -> int:
    proc = subprocess.run([sys.executable, "-m", "appliance", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, input=stdin, timeout=timeout)
    captured.append((" ".join(args), proc.stdout + proc.stderr))
    return proc.returncode


def test_no_nik_or_pin_in_any_log_output_or_crash_file(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    kivy_home = tmp_path / "kivy"
    env = {**os.environ, "SEMENIT_HOME": str(home), "SEMENIT_CONFIG": str(home / "semenit.toml"),
           "KIVY_HOME": str(kivy_home), "KIVY_NO_ARGS": "1", "PYTHONFAULTHANDLER": "1"}
    env.pop("DISPLAY", None)
    out: list[tuple[str, str]] = []
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n")
    resident_pin_file = tmp_path / "rpin.txt"
    resident_pin_file.write_text(RESIDENT_PIN + "\n")
    fixture = FIXTURES_DIR / "contoh_penduduk.xlsx"

    assert _run(["keys", "init"], env, out) == 0
    assert _run(["import", str(fixture), "--dry-run"], env, out) == 0
    assert _run(["import", str(fixture), "--yes"], env, out) == 0
    assert _run(["import", str(fixture), "--json"], env, out) == 0
    assert _run(["import", str(FIXTURES_DIR / "format_siak.xls"), "--mode", "update", "--yes"], env, out) == 0
    store = ResidentStore.open(home)
    requests = letter_requests(store, limit=16)
    from appliance.letters.catalog import load_catalog

    thermal = {t.code for t in load_catalog() if t.thermal}  # the others print only on the regular printer
    qrs, numbers = [], []
    for code, nik, fields in requests:
        field_args = [a for k, v in fields.items() for a in ("--field", f"{k}={v}")]
        fmt = "escpos" if code in thermal else "pdf"
        assert _run(["letter", "render", code, "--nik", nik, "--format", fmt, "--out",
                     str(tmp_path / f"draft-{code}.bin")] + field_args, env, out) == 0
        assert _run(["letter", "issue", code, "--nik", nik, "--json"] + field_args, env, out) == 0
        issued = orjson.loads(out[-1][1][out[-1][1].index("{"):])
        qrs.append(issued["qr"])
        numbers.append(issued["number"])
    ineligible = next(r for r in store if not r.present)
    _run(["letter", "issue", requests[0][0], "--nik", ineligible.nik], env, out)  # refused: reasons printed
    _run(["letter", "issue", "PENGANTAR", "--nik", "3404130101990009"], env, out)  # unknown resident
    _run(["letter", "issue", "PENGANTAR", "--nik", "34041301019900"], env, out)  # malformed NIK
    for qr in qrs[:3]:
        assert _run(["verify", qr], env, out) == 0
        _run(["verify", qr[:-3] + "AAA"], env, out)
    assert _run(["letter", "void", numbers[0], "--reason", "uji"], env, out) == 0
    assert _run(["letter", "reprint", numbers[1]], env, out) == 0
    assert _run(["register", "verify"], env, out) == 0
    assert _run(["register", "export", str(home / "ekspor")], env, out) == 0
    for args in (["queue", "take"], ["queue", "take", "--json"], ["queue", "status"], ["printer", "list"],
                 ["printer", "status"], ["printer", "test"], ["printer", "jobs"]):
        assert _run(args, env, out) == 0, args
    assert _run(["operator", "set-pin", "--pin-file", str(pin_file)], env, out) == 0
    _run(["operator", "resident-pin", requests[0][1], "--pin-file", str(resident_pin_file)], env, out)
    _run(["selftest", "--json"], env, out)
    _run(["selftest"], env, out)
    _run(["import", str(tmp_path / "tidak-ada.xlsx")], env, out)  # error paths
    (tmp_path / "rusak.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _run(["import", str(tmp_path / "rusak.xlsx")], env, out)
    # The UI tour: the real kiosk driven through every screen (one size, both languages, its own demo home).
    tour = tmp_path / "tour"
    assert _run(["ui-tour", str(tour), "--sizes", "800x480"], env, out, timeout=600) == 0, out[-1][1][-3000:]

    niks = _all_niks() | {r.nik for r in ResidentStore.open(home)}
    assert len(niks) > 300
    leaks = []
    for command, text in out:
        leaks += [f"output of `semenit {command}`: {n}" for n in niks if n in text]
        if PIN in text or RESIDENT_PIN in text:
            leaks.append(f"output of `semenit {command}`: the PIN")
    searched = 0
    for root in (home, kivy_home, tour):
        for path in root.rglob("*"):
            rel = path.relative_to(root).as_posix()
            if not path.is_file() or (root == home and (rel.startswith(DATA) or _spool_bytes(rel))):
                continue
            if path.suffix in (".png", ".pdf", ".bin"):
                continue
            text = path.read_bytes().decode("utf-8", "replace")
            searched += 1
            leaks += [f"{root.name}/{rel}: {n}" for n in niks if n in text]
            if PIN in text or RESIDENT_PIN in text:
                leaks.append(f"{root.name}/{rel}: the PIN")
    assert searched > 10
    assert not leaks, "\n".join(sorted(set(leaks))[:20])

    # The data itself is the operator's only: not readable by other users of the unit.
    private = [home / "residents.json", home / "residents.nikindex", home / "letters" / "register.jsonl",
               home / "letters" / "register.head", home / "letters" / "deaths.json",
               home / "operator_pin.json", *home.glob("backups/*"), *home.glob("spool/data/*"),
               *home.glob("spool/jobs/*"), *home.glob("keys/*")]
    loose = [f"{p.relative_to(home)} {oct(stat.S_IMODE(p.stat().st_mode))}" for p in private
             if p.is_file() and not p.name.endswith(".pub") and not p.name.endswith(".pem")
             and stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert not loose, loose
    printed = [p for p in home.glob("printed/*") if stat.S_IMODE(p.stat().st_mode) & 0o007]
    assert not printed, printed
