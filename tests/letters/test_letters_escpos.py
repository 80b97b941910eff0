"""The ESC/POS rendering: init, text, native QR (or an image where the profile has none), cut."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from appliance.letters import model
from appliance.letters.samples import eligible_resident, example_fields
from appliance.render.letter_escpos import qr_raster, render_escpos

INIT, NATIVE_QR, RASTER, CUT = b"\x1b@", b"\x1d(k", b"\x1dv0", b"\x1dV"


def _letter(svc, store, code="SKTM"):
    template = svc.catalog.templates[code]
    resident = eligible_resident(template, store, svc.today())
    t, r, clean, subject, family, today = svc._prepare(code, resident.nik, example_fields(template, resident, store))
    qr = "SMN1|401/007/TRJ/XI/2026|20261128|SKTM|5201****6996|" + "A" * 86
    return model.build(t, svc.village, r, clean, number="401/007/TRJ/XI/2026", day=today, subject=subject,
                       family=family, qr=qr), resident


def test_80mm_with_native_qr_and_cut(resident_store, make_service):
    svc = make_service(resident_store)
    letter, resident = _letter(svc, resident_store)
    data = render_escpos(letter, "TM-T88III", 80)
    assert data.startswith(INIT)
    for text in (b"KALURAHAN TRIHARJO", b"SURAT KETERANGAN TIDAK MAMPU", b"Nomor: 401/007/TRJ/XI/2026",
                 resident.nik.encode(), resident.nama.strip().encode()):
        assert text in data
    assert NATIVE_QR in data and letter.qr.encode() in data
    assert data.rstrip(b"\x00\n").find(CUT) > data.find(NATIVE_QR)
    assert max(len(line) for line in data.split(b"\n") if not line.startswith((b"\x1b", b"\x1d"))) <= 48 + 8


def test_58mm_profile_without_native_qr_prints_it_as_an_image(resident_store, make_service):
    svc = make_service(resident_store)
    letter, _resident = _letter(svc, resident_store)
    for profile in ("POS-5890", "ZJ-5870"):
        data = render_escpos(letter, profile, 58)
        assert data.startswith(INIT) and NATIVE_QR not in data and RASTER in data
        assert b"Nomor: 401/007/TRJ/XI/2026" in data


def test_the_qr_image_decodes():
    text = "SMN1|470/012/TRJ/XI/2026|20261128|PENGANTAR|3404****0001|" + "B" * 86
    raster = qr_raster(text, 6, 384)
    width_bytes, height = int.from_bytes(raster[4:6], "little"), int.from_bytes(raster[6:8], "little")
    assert width_bytes * 8 <= 384
    image = Image.frombytes("1", (width_bytes * 8, height), raster[8:])
    image = Image.eval(image.convert("L"), lambda v: 255 - v)  # ESC/POS: 1 = black dot
    assert zxingcpp.read_barcodes(image)[0].text == text


def test_an_escpos_printer_gets_escpos_through_the_issue_path(resident_store, semenit_home, tmp_path):
    from appliance.config import Settings
    from appliance.letters.service import LetterService
    from appliance.printing import open_printers

    settings = Settings({"printers": {"struk": {"backend": "device", "path": str(tmp_path / "lp0"),
                                                "profile": "TM-T88III", "paper_mm": 80, "role": "letter"}}})
    (tmp_path / "lp0").write_bytes(b"")  # stands in for /dev/usb/lp0
    printers = open_printers(settings, semenit_home)
    try:
        if "escpos" not in printers.formats("struk"):
            raise AssertionError(printers.formats("struk"))
        svc = LetterService(settings, semenit_home, resident_store, printers)
        template = svc.catalog.templates["PENDUDUK"]
        resident = eligible_resident(template, resident_store, svc.today())
        issued = svc.wait(svc.issue("PENDUDUK", resident.nik, example_fields(template, resident, resident_store)), 30)
        assert issued.format == "escpos" and issued.outcome == "done", issued.error
        data = (tmp_path / "lp0").read_bytes()
        assert data.startswith(INIT) and NATIVE_QR in data and issued.qr.encode() in data and CUT in data
        assert svc.register.get(issued.number).status == "printed"
        svc.close()
    finally:
        printers.close()
