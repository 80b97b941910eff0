"""What a letter says comes from the village profile and the data, never from code: desa/kalurahan,
dusun/padukuhan, Kepala Desa/Lurah; an official's number only where the profile gives one; WNI as the KTP
prints it; an empty optional remark leaves no dangling sentence."""

from __future__ import annotations

from datetime import date

from appliance.config import Settings
from appliance.letters import model
from appliance.letters.catalog import load_catalog
from appliance.village import VillageProfile

TODAY = date(2026, 11, 28)
CATALOG = load_catalog()


def _letter(code, store, village, fields):
    template = CATALOG.templates[code]
    resident = next(r for r in sorted(store, key=lambda r: r.nik) if not template.check_eligibility(r, store, TODAY))
    clean, errors = template.validate_fields(fields, resident, store, TODAY)
    assert not errors
    return model.build(template, village, resident, clean, number=None, day=TODAY), resident


def _text(letter) -> str:
    parts = [letter.intro, letter.closing, letter.place_date, *letter.signature.above, letter.signature.id_line]
    parts += [f"{label}: {value}" for label, value in letter.resident_rows]
    parts += [b[1] for b in letter.blocks if b[0] == "p"]
    return "\n".join(parts)


def test_village_words_come_from_the_profile(demo_store):
    desa = VillageProfile.from_settings(Settings({"village": {
        "sebutan_desa": "Desa", "nama_desa": "Sukamaju", "sebutan_kecamatan": "Kecamatan", "sebutan_kepala":
        "Kepala Desa", "sebutan_dusun": "Dusun", "penandatangan": "kades", "kepala": "kades",
        "pejabat": [{"kode": "kades", "jabatan": "Kepala Desa", "nama": "H. Ahmad", "nip": "", "nipd": ""}]}}))
    letter, resident = _letter("PENGANTAR", demo_store, desa, {"keperluan": "Melamar pekerjaan"})
    text = _text(letter)
    assert "Kepala Desa Sukamaju" in text and "Desa Sukamaju" in text
    assert "Kalurahan" not in text and "Lurah " not in text and "Padukuhan" not in text
    if resident.dusun:
        assert f"Dusun {resident.dusun.title()}" in dict(letter.resident_rows)["Alamat"]
    assert letter.signature.id_line == ""  # no NIP/NIPD in the profile: no number line at all
    assert dict(letter.resident_rows)["Kewarganegaraan"] in ("WNI", "WNA", "DUA KEWARGANEGARAAN")


def test_sleman_says_padukuhan_and_lurah(demo_store):
    village = VillageProfile.from_settings(Settings({}))
    letter, resident = _letter("PENGANTAR", demo_store, village, {"keperluan": "Melamar pekerjaan"})
    assert "Lurah Triharjo" in _text(letter)
    if resident.dusun:
        assert "Padukuhan" in dict(letter.resident_rows)["Alamat"] and "Dusun" not in dict(letter.resident_rows)["Alamat"]


def test_an_empty_remark_leaves_no_dangling_sentence_and_a_filled_one_ends_with_a_full_stop(demo_store):
    village = VillageProfile.from_settings(Settings({}))
    empty, _r = _letter("PENGANTAR", demo_store, village, {"keperluan": "Melamar pekerjaan"})
    assert not any("Keterangan" in b[1] for b in empty.blocks if b[0] == "p")
    assert all(b[1].rstrip().endswith(".") for b in empty.blocks if b[0] == "p")
    filled, _r = _letter("PENGANTAR", demo_store, village, {"keperluan": "Melamar pekerjaan",
                                                             "keterangan": "untuk PT Maju Jaya"})
    assert "Keterangan: untuk PT Maju Jaya." in [b[1] for b in filled.blocks if b[0] == "p"]
    assert filled.closing.startswith("Demikian surat pengantar ini")


def test_statements_are_what_both_renderings_print(demo_store):
    from appliance.render.letter_escpos import render_escpos
    from tests.letters.letter_text import escpos_text

    village = VillageProfile.from_settings(Settings({}))
    letter, resident = _letter("PENGANTAR", demo_store, village, {"keperluan": "Melamar pekerjaan"})
    said = model.statements(letter)
    assert said["nik"] == resident.nik and said["jenis"] == "PENGANTAR" and said["tanggal"] == "2026-11-28"
    receipt = " ".join(" ".join(escpos_text(render_escpos(letter, "TM-T88V", 80), "TM-T88V")).split())
    for label, value in said["data"]:
        assert f"{label}:" in receipt and " ".join(value.split()) in receipt
    for paragraph in said["paragraf"]:
        assert " ".join(paragraph.split()) in receipt
