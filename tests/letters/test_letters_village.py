"""The village profile's letter settings: signer a.n./u.b., paper, logo, Pemegang Surat column; and a
failed print that keeps its number."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader

from appliance.config import Settings, SettingsError
from appliance.letters.samples import eligible_resident, example_fields
from appliance.village import VillageProfile

OFFICIALS = [
    {"kode": "lurah", "jabatan": "Lurah", "nama": "Drs. Sukirman Hadi", "nipd": "19700101"},
    {"kode": "carik", "jabatan": "Carik", "nama": "Rina Wulandari, S.E.", "nip": "198503122010012001"},
    {"kode": "jagabaya", "jabatan": "Jagabaya", "nama": "Bambang Prasetyo", "nipd": "19790521"},
]


def _village(**extra) -> VillageProfile:
    return VillageProfile.from_settings(Settings({"village": {"pejabat": OFFICIALS, **extra}}))


def test_signature_blocks():
    direct = _village().signature()
    assert direct.above == ("Lurah Triharjo",) and direct.name == "Drs. Sukirman Hadi" and direct.id_line == "NIPD. 19700101"
    an = _village(penandatangan="carik").signature()
    assert an.above == ("a.n. Lurah Triharjo", "Carik") and an.id_line == "NIP. 198503122010012001"
    ub = _village(penandatangan="jagabaya", atas_nama="carik").signature()
    assert ub.above == ("a.n. Lurah Triharjo", "Carik", "u.b.", "Jagabaya") and ub.name == "Bambang Prasetyo"
    assert _village().signature("jagabaya").above == ("a.n. Lurah Triharjo", "Jagabaya")


def test_bad_letter_settings_are_refused():
    with pytest.raises(SettingsError):
        _village(kertas="Letter")
    with pytest.raises(SettingsError):
        _village(urutan_nomor="bulanan")
    with pytest.raises(SettingsError):
        VillageProfile.from_settings(Settings({"village": {"pejabat": [{"nama": "tanpa kode"}]}}))


def test_logo_ub_signer_and_no_holder_column_still_one_page(resident_store, make_service, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 240), (20, 90, 40)).save(logo)
    svc = make_service(resident_store, {"village": {"pejabat": OFFICIALS, "penandatangan": "jagabaya",
                                                    "atas_nama": "carik", "logo": str(logo), "kertas": "A4",
                                                    "kolom_pemegang_surat": False}})
    template = svc.catalog.templates["SKTM"]
    resident = eligible_resident(template, resident_store, svc.today())
    data = svc.render_draft("SKTM", resident.nik, example_fields(template, resident, resident_store), "pdf")
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "u.b." in text and "Bambang Prasetyo" in text and "Pemegang Surat" not in text
    assert list(reader.pages[0].images), "the logo image is embedded"
    fonts = {str(f["/BaseFont"]) for f in (reader.pages[0]["/Resources"]["/Font"].get_object()).values()}
    assert any("DejaVuSerif" in f for f in fonts)


def test_a_failed_print_keeps_its_number_and_can_be_reprinted(resident_store, make_service):
    from appliance.printing.spool import Job

    svc = make_service(resident_store)
    template = svc.catalog.templates["PENDUDUK"]
    resident = eligible_resident(template, resident_store, svc.today())
    issued = svc.wait(svc.issue("PENDUDUK", resident.nik, example_fields(template, resident, resident_store)))
    failed = Job(id="job-failed", printer="file", kind="letter", format="pdf", ref=issued.number, state="failed",
                 error_key="printing.error.unknown_job", error_params={"job": "x"})
    svc._on_job(failed)
    svc._on_job(failed)  # a listener may hear the same state twice: recorded once
    record = svc.register.get(issued.number)
    assert record.status == "failed" and [e["event"] for e in record.events].count("failed") == 1
    again = svc.wait(svc.reprint(issued.number))
    assert again.number == issued.number and again.qr == issued.qr and again.outcome == "done"
    assert svc.register.get(issued.number).status == "printed"
    assert svc.register.verify().ok
