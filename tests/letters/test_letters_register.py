"""The register: verify names an edited, removed, reordered or cut-off entry; export opens with real dates."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib

import openpyxl
import orjson

from appliance.cli import main
from appliance.letters.export import HEADERS, export_register
from appliance.letters.register import Register


def _fill(home, letters: int = 5) -> Register:
    register = Register(home)
    for n in range(1, letters + 1):
        number = f"470/{n:03d}/TRJ/XI/2026"
        register.append("issued", number, code="PENGANTAR", title="Surat Keterangan Pengantar",
                        nik=f"34041350019000{n:02d}", nama=f"WARGA {n}", fields={"keperluan": "Melamar pekerjaan"},
                        day="2026-11-28", qr="", snapshot={})
        register.append("printed", number, job=f"job{n}", printer="file")
    return register


def _lines(register):
    return register.path.read_bytes().splitlines(keepends=True)


def test_an_intact_register_verifies(semenit_home):
    register = _fill(semenit_home)
    report = register.verify()
    assert report.ok and report.count == 10
    assert main(["register", "verify"]) == 0


def test_an_edited_entry_is_named(semenit_home, capsys):
    register = _fill(semenit_home)
    lines = _lines(register)
    lines[4] = lines[4].replace(b"WARGA 3", b"WARGA 9")
    register.path.write_bytes(b"".join(lines))
    [problem] = register.verify().problems
    assert (problem.kind, problem.line, problem.index, problem.number) == ("edited", 5, 4, "470/003/TRJ/XI/2026")
    assert main(["register", "verify"]) == 1
    assert "470/003/TRJ/XI/2026" in capsys.readouterr().err


def _plain_hash(entry: dict) -> str:
    """What the chain was before issue 12: a hash anyone can recompute."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def test_an_edit_with_a_recomputed_hash_is_still_caught(semenit_home):
    register = _fill(semenit_home)
    lines = _lines(register)
    entry = orjson.loads(lines[2])
    entry["nama"] = "ORANG LAIN"
    entry["hash"] = _plain_hash(entry)
    lines[2] = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS) + b"\n"
    register.path.write_bytes(b"".join(lines))
    problems = register.verify().problems
    assert [(p.kind, p.index, p.number) for p in problems] == [("edited", 2, "470/002/TRJ/XI/2026")]


def test_every_entry_rewritten_chain_recomputed_and_one_appended_is_caught(semenit_home, capsys):
    """The issue's attack: edit every issued entry, recompute the chain, append one; all are named."""
    register = _fill(semenit_home)
    prev, out = "0" * 64, []
    for raw in _lines(register):
        entry = orjson.loads(raw)
        if entry["event"] == "issued":
            entry["nama"] = "ORANG LAIN"
        entry["prev"] = prev
        entry["hash"] = prev = _plain_hash(entry)
        out.append(entry)
    extra = {"i": len(out), "prev": prev, "at": "2026-11-28T10:00:00+07:00", "event": "issued",
             "number": "470/099/TRJ/XI/2026", "nama": "PALSU"}
    extra["hash"] = _plain_hash(extra)
    out.append(extra)
    register.path.write_bytes(b"".join(orjson.dumps(e, option=orjson.OPT_SORT_KEYS) + b"\n" for e in out))
    problems = register.verify().problems
    assert {p.index for p in problems if p.kind == "edited"} == set(range(11))
    assert main(["register", "verify"]) == 1
    err = capsys.readouterr().err
    assert "470/099/TRJ/XI/2026" in err and "470/005/TRJ/XI/2026" in err


def test_a_truncated_tail_with_a_re_signed_head_is_caught_by_the_paper_anchor(semenit_home, capsys):
    """Someone holding the unit's keys can cut entries and sign a new head; yesterday's paper code cannot
    be redone."""
    from appliance.letters import signing
    from appliance.letters.register import Anchor, anchor_lines

    register = _fill(semenit_home, 4)
    anchor = register.anchor("2026-11-28")
    lines = anchor_lines(anchor, "2026-11-28", "Carik")
    assert any(anchor.text in line for line in lines) and all("\x1b" not in line for line in lines)
    assert Anchor.parse(anchor.text.lower().replace("-", " ", 1)) == anchor
    register.anchors_path.unlink()  # the attacker also removes the unit's own note of it
    kept = _lines(register)[:-3]
    register.path.write_bytes(b"".join(kept))
    key = signing.ensure_keypair(semenit_home)[0]
    last = orjson.loads(kept[-1])["hash"]
    register.head_path.write_bytes(orjson.dumps({"count": len(kept), "hash": last,
                                                 "sig": key.sign(f"{len(kept)}|{last}".encode()).hex()}))
    assert register.verify().ok  # the machine alone cannot tell
    [problem] = register.verify([anchor]).problems
    assert (problem.kind, problem.index, problem.detail) == ("truncated", 5, "3")
    assert main(["register", "verify", "--anchor", anchor.text]) == 1
    assert "ke-5" in capsys.readouterr().err
    assert main(["register", "verify", "--anchor", "12-XYZ"]) == 2


def test_a_rewrite_by_someone_holding_the_keys_is_named_against_the_paper_code(semenit_home):
    from appliance.letters import signing
    from appliance.letters.register import entry_hash

    register = _fill(semenit_home, 3)
    anchor = register.anchor("2026-11-28")
    assert register.verify().ok  # the noted anchor matches an untouched register
    lines = _lines(register)
    entry = orjson.loads(lines[-1])
    entry["printer"] = "lain"
    entry["hash"] = entry_hash(entry, register.mac_key)
    lines[-1] = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS) + b"\n"
    register.path.write_bytes(b"".join(lines))
    key = signing.ensure_keypair(semenit_home)[0]
    register.head_path.write_bytes(orjson.dumps({"count": 6, "hash": entry["hash"],
                                                 "sig": key.sign(f"6|{entry['hash']}".encode()).hex()}))
    [problem] = register.verify([anchor]).problems
    assert (problem.kind, problem.index, problem.number) == ("anchor", 5, "470/003/TRJ/XI/2026")


def test_a_removed_entry_is_named(semenit_home):
    register = _fill(semenit_home)
    lines = _lines(register)
    del lines[6]  # entry 6: "issued" of 470/004
    register.path.write_bytes(b"".join(lines))
    kinds = {(p.kind, p.index) for p in register.verify().problems}
    assert ("removed", 6) in kinds
    [removed] = [p for p in register.verify().problems if p.kind == "removed"]
    assert "470/003/TRJ/XI/2026" in removed.detail and "470/004/TRJ/XI/2026" in removed.detail


def test_reordered_entries_are_named(semenit_home):
    register = _fill(semenit_home)
    lines = _lines(register)
    lines[2], lines[3] = lines[3], lines[2]
    register.path.write_bytes(b"".join(lines))
    problems = register.verify().problems
    assert [(p.kind, p.line, p.index) for p in problems] == [("reordered", 4, 2)]


def test_entries_cut_off_the_end_are_caught_by_the_signed_head(semenit_home):
    register = _fill(semenit_home)
    lines = _lines(register)
    register.path.write_bytes(b"".join(lines[:-2]))
    [problem] = register.verify().problems
    assert (problem.kind, problem.index, problem.detail) == ("truncated", 8, "2")


def test_a_torn_last_line_is_dropped_on_the_next_append(semenit_home):
    register = _fill(semenit_home, 2)
    with register.path.open("ab") as fh:
        fh.write(b'{"i": 4, "event": "iss')  # a power cut in the middle of an append
    register.append("voided", "470/001/TRJ/XI/2026", reason="salah ketik")
    assert register.verify().ok
    assert register.get("470/001/TRJ/XI/2026").status == "voided"


def test_export_writes_xlsx_with_real_dates_and_csv(semenit_home, tmp_path):
    register = _fill(semenit_home, 3)
    register.append("voided", "470/002/TRJ/XI/2026", reason="Data keliru")
    xlsx, csv_path, count = export_register(register, tmp_path / "agenda.xlsx")
    assert count == 3
    ws = openpyxl.load_workbook(xlsx)["Buku Agenda"]
    assert tuple(c.value for c in ws[1]) == HEADERS
    assert "Nomor Surat" in HEADERS and "Tanggal" in HEADERS
    row = [c.value for c in ws[3]]
    assert isinstance(row[1], dt.datetime) and row[1].date() == dt.date(2026, 11, 28)
    assert row[3] == "470/002/TRJ/XI/2026" and row[10] == "Dibatalkan" and row[12] == "Data keliru"
    with csv_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(HEADERS) and rows[1][1] == "2026-11-28" and len(rows) == 4
    assert main(["register", "export", str(tmp_path / "out")]) == 0
    assert list((tmp_path / "out").glob("register-*.xlsx"))
