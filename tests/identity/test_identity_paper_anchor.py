"""Issue 12's anchor outside the machine: the daily summary prints the register's head as a short code on
paper (real ESC/POS bytes to a loopback TCP printer, or a PDF); the secretary types the code from the paper
into `semenit register verify --anchor` and a register cut short since is reported with the entry named."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from appliance.cli import main
from appliance.config import Settings
from appliance.letters import signing
from appliance.letters.register import Anchor, Register
from appliance.village import VillageProfile
from tests.letters.letter_text import escpos_text, pdf_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))
from fakeprinter import FAST, TcpPrinter, wait_until  # noqa: E402

VILLAGE = VillageProfile.from_settings(Settings({}))
CODE = re.compile(r"\b(\d+-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})\b")
CUT = b"\x1dV\x00"


def _today() -> str:
    return datetime.now(ZoneInfo(VILLAGE.timezone)).date().isoformat()


def _issue(register: Register, letters: int, day: str, start: int = 1) -> list[str]:
    numbers = []
    for n in range(start, start + letters):
        number = f"470/{n:03d}/TRJ/XI/2026"
        register.append("issued", number, code="PENGANTAR", title="Surat Keterangan Pengantar",
                        nik=f"34041350019000{n:02d}", nama=f"WARGA {n}", fields={}, day=day, qr="", snapshot={})
        register.append("printed", number, job=f"job{n}", printer="struk")
        numbers.append(number)
    return numbers


def printer_jobs_done(home: Path, job_id: str) -> bool:
    """The spool's own record of the job the note names says it printed."""
    return orjson.loads((home / "spool" / "jobs" / f"{job_id}.json").read_bytes())["state"] == "done"


def _cut_tail_and_resign(register: Register, home: Path, drop: int) -> None:
    """Someone holding the unit (and its keys) removes the newest entries, signs a new head and removes
    the unit's own note of the printed codes: the machine alone cannot tell any more."""
    kept = register.path.read_bytes().splitlines(keepends=True)[:-drop]
    register.path.write_bytes(b"".join(kept))
    key = signing.ensure_keypair(home)[0]
    last = orjson.loads(kept[-1])["hash"]
    register.head_path.write_bytes(orjson.dumps({"count": len(kept), "hash": last,
                                                 "sig": key.sign(f"{len(kept)}|{last}".encode()).hex()}))
    register.anchors_path.unlink()


@pytest.fixture
def thermal_home(semenit_home):
    """A unit whose only printer is a ticket printer on a loopback TCP socket (ESC/POS)."""
    server = TcpPrinter().start()
    printing = "\n".join(f"{k} = {v}" for k, v in FAST.items())
    (semenit_home / "semenit.toml").write_text(
        f'[printing]\n{printing}\n\n[printers.struk]\nbackend = "network"\nhost = "127.0.0.1"\n'
        f'port = {server.port}\nprofile = "POS-5890"\npaper_mm = 58\nrole = ["ticket"]\n', encoding="utf-8")
    yield semenit_home, server
    server.stop()


def test_the_printed_code_typed_back_names_the_entries_cut_off(thermal_home, capsys):
    home, printer = thermal_home
    register = Register(home)
    _issue(register, 2, "2026-11-27")  # yesterday's letters are not today's
    numbers = _issue(register, 3, _today(), start=3)

    assert main(["register", "anchor", "--print", "--wait", "20"]) == 0
    assert wait_until(lambda: CUT in bytes(printer.model.printed), timeout=20)
    paper = escpos_text(bytes(printer.model.printed), "POS-5890")
    text = "\n".join(paper)
    # The village, the date, today's letters (count, first and last number), the code, lines to sign.
    assert "Kalurahan Triharjo" in text and "RINGKASAN HARIAN" in text
    assert "Surat terbit hari ini: 3" in text
    assert numbers[0] in text and numbers[-1] in text and "470/001/TRJ/XI/2026" not in text
    assert "Tanda tangan :" in text
    # Who signs and files it, by the village's own title (the profile's `sekretaris`: Carik in the demo).
    words = " ".join(text.split())
    assert "Diperiksa dan diarsipkan oleh Carik:" in words and "Carik menandatangani dan mengarsipkan" in words
    [code] = CODE.findall(text)
    assert code.startswith("10-")  # it covers all ten entries so far
    assert "10 catatan" in text
    assert code in capsys.readouterr().out
    # The code is printed large (double height) on a line of its own, whole on 58 mm paper.
    assert b"\x1d!\x01" + code.encode() + b"\n" in bytes(printer.model.printed)
    # The unit notes the printed code too, with the printer it went to.
    notes = [orjson.loads(line) for line in register.anchors_path.read_bytes().splitlines()]
    assert notes[-1]["printer"] == "struk" and f"{notes[-1]['count']}-{notes[-1]['code']}" == code
    assert printer_jobs_done(home, notes[-1]["job"])

    # Later that day two more letters; then someone cuts them and the one before off the end.
    _issue(register, 2, _today(), start=6)
    assert main(["register", "verify"]) == 0
    _cut_tail_and_resign(register, home, drop=8)  # 4 letters = 8 entries; the register now holds 6
    capsys.readouterr()
    assert main(["register", "verify"]) == 0  # the machine alone cannot tell

    # The secretary reads the code off the filed paper and types it, in lower case and with spaces.
    typed = code.lower().replace("-", " ")
    assert main(["register", "verify", "--anchor", typed]) == 1
    err = capsys.readouterr().err
    assert "4 catatan terakhir telah dihapus" in err and "ke-6" in err
    report = register.verify([Anchor.parse(typed)])
    assert [(p.kind, p.index, p.detail) for p in report.problems] == [("truncated", 6, "4")]


def test_a_code_misread_from_paper_still_checks(semenit_home):
    """Base32 has no 0, 1 or 8: read off paper as O, I and B they check the same."""
    register = Register(semenit_home)
    _issue(register, 2, _today())
    anchor = register.anchor(_today())
    misread = anchor.text.replace("O", "0").replace("I", "1").replace("B", "8")
    assert Anchor.parse(misread) == anchor
    assert register.verify([Anchor.parse(misread)]).ok


def test_on_the_letter_printer_the_summary_is_a_pdf_page(semenit_home, capsys):
    """The default `file` printer takes PDF: the summary is a page with the same lines."""
    register = Register(semenit_home)
    numbers = _issue(register, 2, _today())
    assert main(["register", "anchor", "--print", "--wait", "20"]) == 0
    [pdf] = list((semenit_home / "printed").glob("*.pdf"))
    text = "\n".join(pdf_text(pdf.read_bytes()))
    [code] = CODE.findall(text)
    assert code == register.recorded_anchors()[-1].text and code.startswith("4-")
    assert numbers[0] in text and numbers[1] in text and "Tanda tangan" in text


def test_the_summary_is_due_until_todays_letters_are_on_paper(semenit_home, capsys):
    """The operator menu's reminder: due while a letter of today is on no summary printed today."""
    from appliance.services.day_summary import summary_due

    register = Register(semenit_home)
    _issue(register, 2, "2026-11-27")
    assert not summary_due(register, _today())  # yesterday's letters only
    _issue(register, 2, _today(), start=3)
    assert summary_due(register, _today())
    assert main(["register", "anchor"]) == 0  # shown on the screen only: not on paper
    assert summary_due(register, _today())
    assert main(["register", "anchor", "--print", "--wait", "20"]) == 0
    assert not summary_due(register, _today())
    _issue(register, 1, _today(), start=5)  # a letter after the summary was printed
    assert summary_due(register, _today())


def test_a_village_without_a_named_secretary_gets_its_generic_title(semenit_home, capsys):
    """No official with the profile's `sekretaris` kode: the paper says "Sekretaris <sebutan_desa>"."""
    (semenit_home / "semenit.toml").write_text(
        '[village]\nsebutan_desa = "Desa"\nnama_desa = "Sukamaju"\nsekretaris = "sekdes"\n', encoding="utf-8")
    _issue(Register(semenit_home), 1, _today())
    assert main(["register", "anchor", "--print", "--wait", "20"]) == 0
    [pdf] = list((semenit_home / "printed").glob("*.pdf"))
    words = " ".join(" ".join(pdf_text(pdf.read_bytes())).split())
    assert "Desa Sukamaju" in words and "Diperiksa dan diarsipkan oleh Sekretaris Desa:" in words
    assert "Sekretaris Desa menandatangani" in words and "Carik" not in words


def test_no_printer_for_the_summary_is_one_clear_line(semenit_home, capsys):
    (semenit_home / "semenit.toml").write_text(
        '[printers.kartu]\nbackend = "file"\nrole = ["card"]\n', encoding="utf-8")
    Register(semenit_home)
    assert main(["register", "anchor", "--print", "nothing-here"]) == 2
    err = capsys.readouterr().err.strip()
    assert "nothing-here" in err and "\n" not in err and "Traceback" not in err
    assert main(["register", "anchor", "--print"]) == 2  # a card printer takes neither letters nor tickets
    from appliance.i18n import _

    assert capsys.readouterr().err.strip() == _("letters.summary.no_printer")
    assert not (semenit_home / "letters" / "register.anchors.jsonl").exists()  # no code noted as printed
