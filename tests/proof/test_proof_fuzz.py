"""Seeded fuzzing (issue 14): every cell of every format, and every state file the app reads.

Bounded by count and seed, so a failure is reproducible: the seed and the case are in the message.
The rule for every case: the command ends with an exit status and at most a plain message, never a
traceback; a file that is refused changes nothing in the store; a damaged state file never changes
the resident store.
"""

import csv
import io
import random
import zipfile

import pytest

from appliance.cli import main
from appliance.residents.model import DATA_FIELDS
from tests.residents.conftest import GOOD

SEED = 20261130
# Values a hostile or broken export puts in a cell: separators, other digits, controls, formulas, huge,
# numbers where text goes, dates at the edges, bidi marks, NUL, quotes.
NASTY = ["", " ", "0", "-", "3404-1324-0891-0001", "３４０４１３２４０８９１０００１", "340413240891000²",
         "\x1b[2J", "\x07", "\x00", "=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "x" * 5000, "9" * 40,
         "1900-01-01", "2100-12-31", "31-02-1990", "00-00-0000", "1e308", "-1", "NaN", "\u202eABC", "\"", "'",
         "L", "P", "BK", "99", "3.5", "ISLAM", "🙂", "\ufeff", "\r\n", ";", ","]


def _rows(rng: random.Random, n: int = 40) -> list[list[str]]:
    rows = []
    for i in range(n):
        row = dict(GOOD, nik=f"34041345019{i:05d}", nama=f"WARGA {i}")
        rows.append([row[f] for f in DATA_FIELDS])
    return rows


def _mutate(rng: random.Random, rows: list[list[str]], count: int) -> list[tuple[int, int]]:
    hit = []
    for _ in range(count):
        r, c = rng.randrange(len(rows)), rng.randrange(len(DATA_FIELDS))
        rows[r][c] = rng.choice(NASTY) if rng.random() < 0.8 else "".join(
            chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 30)))
        hit.append((r, c))
    return hit


def _csv(rows, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(DATA_FIELDS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, "replace")


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Penduduk")
    ws.append(list(DATA_FIELDS))
    for row in rows:
        ws.append([c if not (c.isascii() and c.isdigit() and len(c) < 15) else int(c) for c in
                   (v.translate({i: None for i in range(32)}) for v in row)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _store_bytes(home):
    path = home / "residents.json"
    return path.read_bytes() if path.exists() else None


def _run(argv, capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err, err[-2000:]
    return code, err


@pytest.mark.parametrize("fmt", ["csv", "csv-semicolon-cp1252", "xlsx"])
def test_fuzzed_cells_never_crash_and_a_refused_file_changes_nothing(resident_store, tmp_path, capsys, fmt):
    rng = random.Random(f"{SEED}-{fmt}")
    for case in range(25):
        rows = _rows(rng)
        _mutate(rng, rows, rng.randrange(1, 12))
        path = tmp_path / f"fuzz-{case}.{fmt.split('-')[0]}"
        if fmt == "xlsx":
            path.write_bytes(_xlsx(rows))
        elif fmt == "csv":
            path.write_bytes(_csv(rows))
        else:
            path.write_bytes(_csv(rows, ";", "cp1252"))
        before = _store_bytes(resident_store.home)
        code, err = _run(["import", str(path), "--mode", "update", "--yes"], capsys)
        assert code in (0, 1), f"seed {SEED} {fmt} case {case}: exit {code}: {err[-500:]}"
        if code == 1:
            assert _store_bytes(resident_store.home) == before, f"{fmt} case {case}: refused yet changed"
        for r in range(0, len(rows), 7):
            assert _run(["residents", "find", rows[r][0]], capsys)[0] in (0, 1, 2)


def test_fuzzed_bytes_of_real_workbooks_never_crash(resident_store, tmp_path, capsys, FIXTURES):
    rng = random.Random(f"{SEED}-bytes")
    for name in ("contoh_penduduk.xlsx", "format_siak.xls"):
        good = (FIXTURES / name).read_bytes()
        for case in range(15):
            data = bytearray(good)
            if name.endswith(".xlsx") and rng.random() < 0.5:
                # Damage inside a member, not only the zip's framing: rewrite one sheet cell's XML.
                src = zipfile.ZipFile(io.BytesIO(good))
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                    for info in src.infolist():
                        body = src.read(info)
                        if "worksheets/sheet" in info.filename:
                            at = rng.randrange(len(body))
                            body = body[:at] + rng.choice([b"<", b">", b"\x00", b'r="XFD1048576"', b"&amp;"]) + body[at:]
                        z.writestr(info, body)
                data = bytearray(out.getvalue())
            else:
                for _ in range(rng.randrange(1, 20)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            path = tmp_path / f"{case}-{name}"
            path.write_bytes(bytes(data))
            before = _store_bytes(resident_store.home)
            code, err = _run(["import", str(path), "--dry-run"], capsys)
            assert code in (0, 1), f"seed {SEED} {name} case {case}: exit {code}: {err[-500:]}"
            assert _store_bytes(resident_store.home) == before


STATE_FILES = ["queue.json", "letters/numbers.json", "letters/register.jsonl", "letters/register.head",
               "kiosk_guard.json", "residents.nikindex", "semenit.toml", "residents.json"]
COMMANDS = [["queue", "take"], ["queue", "status"], ["residents", "find", "5201145003976995"],
            ["letter", "issue", "PENGANTAR", "--nik", "5201145003976995", "--field", "keperluan=Uji", "--wait", "5"],
            ["register", "verify"], ["selftest"]]


def _damage(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(5)
    if choice == 0 or not data:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if choice == 1:
        return data[:rng.randrange(len(data))]
    if choice == 2:
        return data + rng.choice([b"garbage\n", b"{\n", b"\x00\x00", b'{"i": 1}\n', b"[]"])
    if choice == 3:
        raw = bytearray(data)
        for _ in range(rng.randrange(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    return rng.choice([b"", b"null", b"[]", b"{}", b'"x"', b"1e999", b'{"day": 5, "last": "x"}'])


@pytest.mark.parametrize("state", STATE_FILES)
def test_damaged_state_files_never_crash_a_command(resident_store, semenit_home, capsys, state):
    assert _run(COMMANDS[3], capsys)[0] == 0  # one letter: a register, counters, keys
    assert _run(["queue", "take"], capsys)[0] == 0
    rng = random.Random(f"{SEED}-{state}")
    path = semenit_home / state
    original = path.read_bytes() if path.exists() else b'[village]\nnama_desa = "Triharjo"\n'
    for case in range(6):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_damage(rng, original))
        store = _store_bytes(semenit_home)
        for argv in COMMANDS:
            code, err = _run(argv, capsys)
            assert isinstance(code, int), f"{state} case {case} {argv[:2]}: {code}"
            if state != "residents.json":
                assert _store_bytes(semenit_home) == store, f"{state} case {case} {argv[:2]} changed the store"
        path.write_bytes(original)
