"""Every letter reviewed as text (issue 13): for each of the 16 types, the letter's text, line by line, as the
PDF and the 80 mm and 58 mm receipts show it, for a resident of OpenSID's sample and for hand-made hard cases
(a KK of 20, a 60-character name with é/ñ/', a 250-character address). The approved texts are kept in
tests/letters/approved/<TYPE>.txt; the test renders them again and shows the difference.

A change to a letter is a reviewable diff: run with SEMENIT_APPROVE=1 to write the new texts, read the diff
as a carik would, and commit it.
"""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest

from appliance.config import Settings
from appliance.letters import model
from appliance.letters.catalog import load_catalog
from appliance.letters.samples import example_fields
from appliance.render.letter_escpos import render_escpos
from appliance.render.letter_pdf import render_pdf
from appliance.residents.model import Resident
from appliance.village import VillageProfile
from tests.letters.letter_text import escpos_text, pdf_text

APPROVED = Path(__file__).parent / "approved"
TODAY = date(2026, 11, 28)
VILLAGE = VillageProfile.from_settings(Settings({}))
CATALOG = load_catalog()
KK = "3404131505100001"
LONG_NAME = "MARÍA JOSÉ PEÑA O'CONNOR BINTI ABDURRAHMAN SETYAWATI NUGRAHA"  # 60
STREET = ("Jalan Kaliurang Kilometer 17,5 Gang Kenanga Nomor 12A, Perumahan Griya Tugu Asri Blok C-7, di belakang "
          "Masjid Al-Ikhlas, sebelah timur Pasar Pakem, dekat Sekolah Dasar Negeri Triharjo 2 dan Balai Padukuhan "
          "Karang Asem, masuk gang kedua")
assert len(LONG_NAME) == 60 and len(STREET) >= 230


def person(n: int, nama: str, sex: int, born: str, kk_level: int, **kw) -> Resident:
    values = dict(nik=f"34041{'5' if sex == 1 else '6'}{n:010d}", no_kk=KK, nama=nama, sex=sex, tempatlahir="SLEMAN",
                  tanggallahir=born, agama_id=1, pendidikan_kk_id=5, pekerjaan_id=88, status_kawin=2,
                  kk_level=kk_level, warganegara_id=1, golongan_darah_id=13, alamat=STREET, dusun="KARANG ASEM",
                  rw="012", rt="004", nama_ayah="SUKARDI", nama_ibu="PARTINAH", status_dasar=1, tag_id_card=None,
                  updated_at="2026-11-01T08:00:00+07:00", import_id="imp1", absent_since=None)
    values.update(kw)
    return Resident(**values)


FAMILY = [person(1, LONG_NAME, 2, "1980-02-29", 1, status_kawin=4, pekerjaan_id=88),
          person(2, "ÇAĞLA ŞENOL", 2, "2003-07-01", 4, status_kawin=1, pekerjaan_id=3)]
FAMILY += [person(n, f"ANAK KE-{n} BIN {'ABDUL ' * (n % 4)}RAHMAN".strip(), 1 + n % 2, f"{1990 + n}-0{1 + n % 9}-1{n % 9}",
                  4 if n < 15 else 9, status_kawin=1, pekerjaan_id=3 if n % 3 else 1) for n in range(3, 21)]


class Store:
    """Just the hand-made family (a resident store's reading side)."""

    def __init__(self, members):
        self.members = {m.nik: m for m in members}

    def get(self, nik):
        return self.members.get(nik)

    def family(self, no_kk):
        return [m for m in self.members.values() if m.no_kk == no_kk]

    def __iter__(self):
        return iter(sorted(self.members.values(), key=lambda m: m.nik))


def _fields(template, store, resident) -> dict[str, str]:
    """The example fields, made plausible where a type needs it (a birth: the mother and father from the KK,
    the reporter's true relation, an ordinary weight and length)."""
    fields = example_fields(template, resident, store, TODAY)
    if template.code == "KELAHIRAN":
        mothers = template.family_choices(resident, store, template.field("ibu"), TODAY)
        fathers = template.family_choices(resident, store, template.field("ayah"), TODAY)
        mother = resident.nik if resident.sex == 2 else mothers[0][0]
        spouses = [nik for nik, _n in fathers if store.get(nik).kk_level in (1, 2)]  # her husband on the KK, if any
        father = resident.nik if resident.sex == 1 else (
            spouses[0] if spouses and store.get(mother).kk_level in (1, 2, 3) else "")
        relation = "ibu" if resident.sex == 2 else "ayah"
        fields.update(ibu=mother, ayah=father, hubungan_pelapor=relation, anak_ke="2", berat="3150", panjang="49",
                      nama_anak="RADEN AYU SEKAR KINASIH", tempat_lahir="RSUD Sleman")
    if template.code == "KEMATIAN":
        fields.update(tempat_meninggal="RSUD Sleman", tempat_jenis="Rumah Sakit")
    return fields


def _case(template, store, resident):
    fields = _fields(template, store, resident)
    clean, errors = template.validate_fields(fields, resident, store, TODAY)
    assert not errors, errors
    subject = store.get(clean[template.subject_field]) if template.subject_field else None
    family = store.family(resident.no_kk) if template.wants_family else None
    number = f"{template.classification}/007/TRJ/XI/2026"
    qr = f"SMN1|{number}|20261128|{template.code}|3404****0001|" + "A" * 86
    return model.build(template, VILLAGE, resident, clean, number=number, day=TODAY, subject=subject,
                       family=family, qr=qr)


def _eligible(template, store):
    for resident in store:
        if template.check_eligibility(resident, store, TODAY):
            continue
        if not template.validate_fields(_fields(template, store, resident), resident, store, TODAY)[1]:
            return resident
    return None


def _text(letters) -> str:
    out = []
    for case, letter in letters:
        out += [f"===== {case}: PDF F4 =====", *pdf_text(render_pdf(letter, "F4"))]
        if letter.thermal:
            for profile, paper in (("TM-T88V", 80), ("POS-5890", 58)):
                out += [f"===== {case}: ESC/POS {paper} mm ({profile}) =====",
                        *escpos_text(render_escpos(letter, profile, paper), profile)]
        else:
            out.append(f"===== {case}: ESC/POS: hanya printer kertas biasa (thermal = false) =====")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("code", sorted(CATALOG.templates))
def test_approved_text(code, resident_store):
    template = CATALOG.templates[code]
    hard = Store(FAMILY)
    letters = []
    sample = _eligible(template, resident_store)
    if sample is not None:
        letters.append(("contoh OpenSID", _case(template, resident_store, sample)))
    head = FAMILY[0] if not template.check_eligibility(FAMILY[0], hard, TODAY) else _eligible(template, hard)
    assert sample is not None or head is not None, f"{code}: nobody may ask for it"
    if head is not None:
        letters.append(("kasus sulit", _case(template, hard, head)))
    text = _text(letters)
    path = APPROVED / f"{code}.txt"
    if os.environ.get("SEMENIT_APPROVE") == "1":
        path.write_text(text, encoding="utf-8")
    approved = path.read_text(encoding="utf-8") if path.exists() else ""
    if text != approved:
        diff = "".join(difflib.unified_diff(approved.splitlines(True), text.splitlines(True), f"approved/{code}.txt",
                                            "rendered now"))
        pytest.fail(f"{code}: the letter's text changed (SEMENIT_APPROVE=1 to accept after reading):\n{diff}")
