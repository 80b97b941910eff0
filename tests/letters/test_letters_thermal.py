"""The thermal letter (issue 13 item 11): issued through the real path to a loopback ESC/POS printer, it carries
the PDF's statements, >= 30 mm for signature and stamp, says it is a thermal print, prints names exactly as on the
KTP, and a type set `thermal = false` is refused before a number is taken."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from appliance.letters.samples import eligible_resident, example_fields
from appliance.letters.service import LetterError, LetterService
from appliance.printing import open_printers
from appliance.render import escpos
from appliance.render.letter_pdf import render_pdf
from tests.letters.letter_text import escpos_text, pdf_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))
from fakeprinter import TcpPrinter, make_settings, wait_until  # noqa: E402


@pytest.fixture
def thermal(semenit_home, resident_store):
    server = TcpPrinter().start()
    settings = make_settings({"struk": {"backend": "network", "host": "127.0.0.1", "port": server.port,
                                        "profile": "TM-T88V", "paper_mm": 80, "role": ["letter"]}})
    printers = open_printers(settings, semenit_home)
    svc = LetterService(settings, semenit_home, resident_store, printers)
    yield svc, server
    svc.close()
    printers.close()
    server.stop()


def _words(lines) -> list[str]:
    return " ".join(lines).split()


def test_a_thermal_letter_says_what_the_pdf_says(thermal, resident_store):
    svc, server = thermal
    template = svc.catalog.templates["SKTM"]
    resident = eligible_resident(template, resident_store, svc.today())
    fields = example_fields(template, resident, resident_store, svc.today())
    issued = svc.wait(svc.issue("SKTM", resident.nik, fields), 30)
    assert issued.format == "escpos" and issued.outcome == "done", issued.error
    assert wait_until(lambda: server.model.count(b"\x1dV\x00") >= 1, 5)
    received = bytes(server.model.printed)
    lines = escpos_text(received, "TM-T88V")
    text = " ".join(_words(lines))
    # every statement of the PDF, in the same words (the PDF of the same letter, from the same model)
    from appliance.letters import model

    t, r, clean, subject, family, today = svc._prepare("SKTM", resident.nik, fields)
    letter = model.build(t, svc.village, r, clean, number=issued.number, day=today, subject=subject,
                         family=family, qr=issued.qr)
    for sentence in [letter.intro, *(b[1] for b in letter.blocks if b[0] == "p"), letter.validity, letter.closing]:
        assert " ".join(sentence.split()) in text, sentence
    for member in family:  # the whole family, whole names
        assert member.nama.strip() in text and member.nik in text
    assert "Pemegang Surat," in lines and "Telp. (0274) 868405" in lines
    blanks = [line for line in lines if line.startswith("[kosong")]
    assert blanks and all(int(b.split()[1]) >= 30 for b in blanks)  # signature and stamp room
    assert "Dicetak pada kertas termal" in text and "[QR]" in lines
    pdf_words = _words(pdf_text(render_pdf(letter, "F4")))
    assert resident.nama.strip().split()[0] in pdf_words


def test_names_print_exactly_as_on_the_ktp(semenit_home):
    from appliance.letters.catalog import load_catalog
    from appliance.render.letter_escpos import render_escpos
    from tests.letters.test_letters_approved import FAMILY, Store, _case

    letter = _case(load_catalog().templates["SKTM"], Store(FAMILY), FAMILY[0])
    for profile, paper in (("TM-T88V", 80), ("POS-5890", 58)):
        lines = escpos_text(render_escpos(letter, profile, paper), profile)
        assert "2. ÇAĞLA ŞENOL" in lines  # a code page that has Ğ and Ş was selected (ESC t)
        assert any("PEÑA" in line for line in lines) and "CAGLA" not in " ".join(lines)


def test_a_name_no_code_page_has_prints_as_an_image():
    prof = escpos.profile("TM-T88V")
    assert escpos.code_page_for(["NGUYỄN VĂN AN"], prof) is None
    image = escpos.text_image("NGUYỄN VĂN AN", 576)
    width, height = image[4] + 256 * image[5], image[6] + 256 * image[7]
    assert image.startswith(b"\x1dv0\x00") and 0 < width * 8 <= 576 and height > 0
    assert any(image[8:])  # something is drawn


def test_a_regular_printer_only_type_takes_no_number_on_a_thermal_printer(thermal, resident_store):
    svc, _server = thermal
    template = svc.catalog.templates["KEMATIAN"]
    assert template.thermal is False
    resident = eligible_resident(template, resident_store, svc.today())
    before = svc.register.path.read_bytes() if svc.register.path.exists() else b""
    with pytest.raises(LetterError) as info:
        svc.issue("KEMATIAN", resident.nik, example_fields(template, resident, resident_store, svc.today()))
    assert "printer kertas biasa" in str(info.value)
    assert (svc.register.path.read_bytes() if svc.register.path.exists() else b"") == before
