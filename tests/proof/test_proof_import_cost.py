"""Every `semenit` command imports only what it uses (issue 17).

Each command runs in a fresh interpreter with `python -X importtime`; the modules it loaded are read
from that report. A heavy library that a command does not need is a failure: a cold command pays for
every import (escpos.printer with its backends ~0.5 s, openpyxl ~0.3 s, reportlab ~0.2 s here).
"""

import os
import re
import subprocess
import sys

import pytest

HEAVY = {"kivy", "reportlab", "openpyxl", "escpos.printer", "usb", "serial", "cryptography", "python_calamine",
         "xlrd", "gpiozero"}
_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|(\s*)(\S+)$")

NIK = "5201145003976995"
# command -> the heavy libraries it may import (with the `file` printer of a fresh unit).
COMMANDS = {
    ("--version",): set(),
    ("residents", "find", NIK): set(),
    ("rollback",): set(),
    ("queue", "take"): set(),
    ("queue", "status"): set(),
    ("import", "{csv}", "--dry-run"): set(),
    ("import", "{xlsx}", "--dry-run"): {"python_calamine"},
    ("register", "verify"): {"cryptography"},
    ("verify", "SMN1|x|y|z|w|v"): {"cryptography"},
    ("letter", "issue", "PENGANTAR", "--nik", NIK, "--field", "keperluan=Melamar kerja", "--wait", "5"):
        {"reportlab", "cryptography"},
    ("register", "export", "{out}"): {"openpyxl", "cryptography"},
    ("letter", "render", "PENGANTAR", "--nik", NIK, "--field", "keperluan=x", "--format", "escpos", "--out",
     "{draft}"): {"reportlab", "cryptography"},
}
# Known breaches being removed elsewhere (strict: an entry fails as soon as it is fixed, to be removed).
NOT_YET: set[tuple[str, ...]] = set()


def imported(argv: list[str], env: dict) -> set[str]:
    child = subprocess.run([sys.executable, "-X", "importtime", "-m", "appliance", *argv], env=env,
                           capture_output=True, text=True, timeout=300)
    names = set()
    for line in child.stderr.splitlines():
        match = _LINE.match(line)
        if match:
            names.add(match.group(2))
    assert names, child.stderr[-2000:]
    return names


def heavy_in(names: set[str]) -> set[str]:
    return {h for h in HEAVY if any(n == h or n.startswith(h + ".") for n in names)}


@pytest.fixture(scope="module")
def cold_unit(tmp_path_factory, shared_fixtures):
    home = tmp_path_factory.mktemp("unit")
    env = {**os.environ, "SEMENIT_HOME": str(home), "SEMENIT_CONFIG": str(home / "semenit.toml")}
    subprocess.run([sys.executable, "-m", "appliance", "import", str(shared_fixtures / "contoh_penduduk.xlsx")],
                   env=env, check=True, capture_output=True, timeout=300)
    return home, env


@pytest.fixture(scope="module")
def shared_fixtures():  # the shared fixtures folder (module scope: tests/conftest.py's FIXTURES is per test)
    from tests.conftest import FIXTURES_DIR

    if not FIXTURES_DIR.is_dir():
        pytest.fail(f"the shared OpenSID fixtures are missing: {FIXTURES_DIR}")
    return FIXTURES_DIR


@pytest.mark.parametrize("argv", [pytest.param(a, marks=pytest.mark.xfail(strict=True, reason="receipt.py"))
                                  if a[:2] in NOT_YET else a for a in COMMANDS], ids=lambda a: " ".join(a[:2]))
def test_each_command_imports_only_what_it_uses(cold_unit, argv, tmp_path, shared_fixtures):
    home, env = cold_unit
    csv = tmp_path / "warga.csv"
    csv.write_text("nik,nama,tanggallahir\n3404134501900001,SRI RAHAYU,1990-01-05\n", encoding="utf-8")
    values = {"{csv}": str(csv), "{xlsx}": str(shared_fixtures / "contoh_penduduk.xlsx"),
              "{out}": str(tmp_path / "ekspor"), "{draft}": str(tmp_path / "draf.bin")}
    args = [values.get(a, a) for a in argv]
    unexpected = heavy_in(imported(args, env)) - COMMANDS[argv]
    assert not unexpected, f"`semenit {' '.join(argv)}` imports {sorted(unexpected)}"
