"""Every shipped letter type, issued for a real OpenSID resident: one page A4 and F4, the text holds the
name, NIK, number and date, the printed QR decodes and verifies, and any altered byte is refused."""

from __future__ import annotations

import subprocess
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from appliance.letters import signing
from appliance.letters.catalog import load_catalog
from appliance.letters.samples import eligible_resident, example_fields
from appliance.letters.verify import verify_letter
from appliance.letters.words import tanggal

CODES = sorted(load_catalog().templates)
SIZES = {"A4": (595.3, 841.9), "F4": (609.4, 935.4)}


def test_the_catalog_ships_at_least_the_sixteen_types():
    catalog = load_catalog()
    assert catalog.errors == []
    assert {"PENGANTAR", "DOMISILI", "DOMISILI_USAHA", "SKTM", "USAHA", "SKCK", "BELUM_MENIKAH", "PENDUDUK",
            "BEDA_IDENTITAS", "BEPERGIAN", "KTP_PROSES", "KEHILANGAN", "KERAMAIAN", "PENGHASILAN", "KELAHIRAN",
            "KEMATIAN"} <= set(catalog.templates)
    for template in catalog.templates.values():
        assert template.title and template.title_en and template.description and template.description_en
        for field in template.fields:
            assert field.label and field.label_en


def _decode_qr(pdf_path) -> str:
    root = str(pdf_path)[:-4]
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), root], check=True, timeout=60)
    results = zxingcpp.read_barcodes(Image.open(root + ".png"))
    assert results, f"no QR found in {pdf_path}"
    return results[0].text


@pytest.mark.parametrize("paper", ["F4", "A4"])
def test_every_type_issues_a_one_page_letter_whose_qr_verifies(resident_store, make_service, semenit_home, paper):
    svc = make_service(resident_store, {"village": {"kertas": paper}})
    today = svc.today()
    for code in CODES:
        template = svc.catalog.templates[code]
        resident = eligible_resident(template, resident_store, today)
        assert resident is not None, code
        issued = svc.wait(svc.issue(code, resident.nik, example_fields(template, resident, resident_store)), 30)
        assert issued.outcome == "done", (code, issued.error)
        assert len(issued.files) == 1 and issued.files[0].endswith(".pdf")
        reader = PdfReader(issued.files[0])
        assert len(reader.pages) == 1, code
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == SIZES[paper]
        text = " ".join(reader.pages[0].extract_text().split())
        for expected in (resident.nama.strip(), resident.nik, issued.number, tanggal(today)):
            assert expected in text, (code, expected)
        qr = _decode_qr(issued.files[0])
        assert qr == issued.qr
        assert verify_letter(semenit_home, qr).genuine, code
    assert svc.register.verify().ok


def test_an_altered_byte_or_a_foreign_key_is_refused(resident_store, make_service, semenit_home):
    svc = make_service(resident_store)
    template = svc.catalog.templates["PENDUDUK"]
    resident = eligible_resident(template, resident_store, svc.today())
    qr = svc.issue("PENDUDUK", resident.nik, example_fields(template, resident, resident_store)).qr
    assert verify_letter(semenit_home, qr).exit_code == 0
    base, payload_text = qr.split("#", 1)
    for position in range(len(payload_text)):
        original = payload_text[position]
        replacement = {"1": "2", "A": "B", "a": "b", "*": "5", "+": "%"}.get(original, "0" if original != "0" else "1")
        altered = base + "#" + payload_text[:position] + replacement + payload_text[position + 1:]
        result = verify_letter(semenit_home, altered)
        assert not result.genuine and result.exit_code != 0, (position, altered)
        assert result.reason in ("malformed", "bad_signature", "mismatch")
    # The same payload signed with another key (a forger's, or another village's) is refused.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    payload = signing.verify(signing.load_public(semenit_home), qr)
    forged = signing.sign(Ed25519PrivateKey.generate(), payload, base)
    result = verify_letter(semenit_home, forged)
    assert result.reason == "bad_signature" and result.exit_code == 1


def test_a_draft_takes_no_number_and_says_so(resident_store, make_service):
    svc = make_service(resident_store)
    template = svc.catalog.templates["DOMISILI"]
    resident = eligible_resident(template, resident_store, svc.today())
    data = svc.render_draft("DOMISILI", resident.nik, example_fields(template, resident, resident_store), "pdf")
    text = PdfReader(BytesIO(data)).pages[0].extract_text()
    assert "DRAF" in text and resident.nik in text
    assert not svc.register.path.exists()
    svc.close()  # a service writes its counters when it closes, if it took a number
    assert not (svc.home / "letters" / "numbers.json").exists()
