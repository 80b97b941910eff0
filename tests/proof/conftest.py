"""Fixtures of the proof tests: a warm forking helper for SIGKILL runs, demo residents, letter requests."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

# Imported here, at collection: compiling it later, after a test has hit Python's recursion limit (the
# hostile-template fuzz does), can fail with CPython 3.11's "AST constructor recursion depth mismatch".
import tests.printing.conftest as printing_conftest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ZYGOTE = Path(__file__).with_name("zygote.py")


class Zygote:
    """Talks to tests/proof/zygote.py: `run(cmd, kill_after)` forks a worker, kills it, returns its lines."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, str(ZYGOTE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     cwd=REPO, env={**os.environ, "PYTHONHASHSEED": "0"})
        self._fd = self.proc.stdout.fileno()
        self._buffer = b""
        assert self._line(60) == "zygote ready"

    def _line(self, timeout: float) -> str:
        """One line from the helper; read straight from the pipe (a buffered reader would hide lines
        that arrived together from select)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self._fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("the proof helper did not answer")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise RuntimeError("the proof helper died")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode()

    def run(self, cmd: dict, kill_after: float | None, timeout: float = 60.0,
            after_lines: int = 0) -> tuple[list[str], int]:
        """Lines the worker printed (in order) and its wait status. kill_after=None: let it finish.

        The kill comes `kill_after` seconds after the worker has printed `after_lines` lines (each line is
        one operation done): the work done before a kill is counted in operations, not in seconds, so a
        busy machine changes where in an operation the kill lands, never whether work happened."""
        self.proc.stdin.write(orjson.dumps(cmd) + b"\n")
        self.proc.stdin.flush()
        first = self._line(timeout)
        assert first.startswith("start "), first
        pid = int(first.split()[1])
        lines = []
        status = None
        if kill_after is not None:
            while len(lines) < after_lines:
                line = self._line(timeout)
                if line.startswith(f"exit {pid} "):
                    status = int(line.split()[2])
                    break
                lines.append(line)
            if status is None:
                time.sleep(kill_after)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        while status is None:
            line = self._line(timeout)
            if line.startswith(f"exit {pid} "):
                status = int(line.split()[2])
                break
            lines.append(line)
        errors = [x for x in lines if x.startswith("error ")]
        assert not errors, errors
        return lines, status

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture(scope="module")
def zygote():
    z = Zygote()
    yield z
    z.close()


def letter_requests(store, limit: int = 8) -> list[list]:
    """[code, nik, fields] for several letter types, each with a resident who may ask for it."""
    from datetime import date

    from appliance.config import Settings
    from appliance.letters.catalog import catalog_dirs, load_catalog
    from appliance.letters.samples import eligible_resident, example_fields
    from appliance.letters.service import LETTER_SETTINGS

    settings = Settings()
    conf = settings.section("letters", LETTER_SETTINGS)
    catalog = load_catalog(catalog_dirs(settings, store.home), conf.get("eligibility") or {})
    out = []
    for template in catalog:
        if template.records_death:  # the same death is reported once: these requests are issued again and again
            continue
        resident = eligible_resident(template, store, date.today())
        if resident is not None:
            out.append([template.code, resident.nik, example_fields(template, resident, store)])
    assert len(out) >= 4, out
    return out[:limit]


@pytest.fixture
def demo_home(tmp_path, monkeypatch):
    """A SEMENIT_HOME with 200 demo residents (seed 1), set in the environment."""
    from appliance.residents import demo
    from appliance.residents.importing import commit_import, plan_import
    from appliance.residents.store import ResidentStore

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SEMENIT_HOME", str(home))
    monkeypatch.setenv("SEMENIT_CONFIG", str(home / "semenit.toml"))
    path = tmp_path / "demo.csv"
    demo.write_csv(demo.generate(200, seed=1), path)
    store = ResidentStore.open(home)
    commit_import(plan_import(path, store), store)
    return home


PROOF_CUPS_QUEUE = "SemenitProof"


@pytest.fixture(scope="session")
def proof_cups(session_cupsd):
    """A cups-pdf queue of our own on the run's private cupsd (the printing tests' fixtures)."""
    cups = printing_conftest.add_pdf_queue(session_cupsd, PROOF_CUPS_QUEUE)
    try:
        yield cups
    finally:
        session_cupsd.run("cupsenable", PROOF_CUPS_QUEUE, check=False)
