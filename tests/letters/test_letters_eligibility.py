"""Eligibility rules (data in the templates) and field checks, on the synthetic demo residents."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.config import Settings
from appliance.letters.service import LetterError, LetterService

TODAY = date(2026, 11, 28)


def _first(store, predicate):
    for resident in sorted(store, key=lambda r: r.nik):
        if predicate(resident):
            return resident
    raise AssertionError("the demo data lacks this case")


def test_only_living_residents(catalog, demo_store):
    dead = _first(demo_store, lambda r: r.status_dasar == 2)
    moved = _first(demo_store, lambda r: r.status_dasar == 3)
    for resident, said in ((dead, "meninggal"), (moved, "pindah")):
        reasons = catalog.templates["DOMISILI"].check_eligibility(resident, demo_store, TODAY)
        assert reasons == [f"Surat ini hanya untuk penduduk berstatus hidup. Data Anda tercatat {said}. "
                           "Silakan hubungi petugas."]
    alive = _first(demo_store, lambda r: r.status_dasar == 1)
    assert catalog.templates["DOMISILI"].check_eligibility(alive, demo_store, TODAY) == []
    absent = alive._replace(absent_since="2026-11-01T00:00:00")
    assert len(catalog.templates["DOMISILI"].check_eligibility(absent, demo_store, TODAY)) == 1


def test_belum_menikah_needs_belum_kawin_and_17(catalog, demo_store):
    template = catalog.templates["BELUM_MENIKAH"]
    single_adult = _first(demo_store, lambda r: r.present and r.status_kawin == 1 and r.age(TODAY) >= 17)
    married = _first(demo_store, lambda r: r.present and r.status_kawin == 2)
    child = _first(demo_store, lambda r: r.present and r.status_kawin == 1 and r.age(TODAY) < 17)
    assert template.check_eligibility(single_adult, demo_store, TODAY) == []
    assert any("BELUM KAWIN".lower() in reason.lower() for reason in template.check_eligibility(married, demo_store, TODAY))
    assert any("17" in reason for reason in template.check_eligibility(child, demo_store, TODAY))
    unknown_age = single_adult._replace(tanggallahir=None)
    assert len(template.check_eligibility(unknown_age, demo_store, TODAY)) == 1


def test_skck_and_keramaian_need_17(catalog, demo_store):
    child = _first(demo_store, lambda r: r.present and r.age(TODAY) < 17)
    adult = _first(demo_store, lambda r: r.present and r.age(TODAY) >= 17)
    for code in ("SKCK", "KERAMAIAN", "KTP_PROSES"):
        assert catalog.templates[code].check_eligibility(adult, demo_store, TODAY) == []
        [reason] = catalog.templates[code].check_eligibility(child, demo_store, TODAY)
        assert "17" in reason and str(child.age(TODAY)) in reason


def test_sktm_is_for_the_head_of_the_family_unless_the_village_says_otherwise(catalog, demo_store, semenit_home):
    head = _first(demo_store, lambda r: r.present and r.kk_level == 1)
    child = _first(demo_store, lambda r: r.present and r.kk_level == 4)
    template = catalog.templates["SKTM"]
    assert template.check_eligibility(head, demo_store, TODAY) == []
    [reason] = template.check_eligibility(child, demo_store, TODAY)
    assert "kepala keluarga" in reason.lower()
    settings = Settings({"letters": {"eligibility": {"SKTM": {"kk_level": ["KEPALA KELUARGA", "ANAK", "ISTRI"]}}}})
    svc = LetterService(settings, semenit_home, demo_store)
    assert svc.catalog.templates["SKTM"].check_eligibility(child, demo_store, TODAY) == []


class _Family:
    """A store whose families are given (a resident alone on a KK is rare in the demo data)."""

    def __init__(self, members):
        self.members = members

    def family(self, no_kk):
        return [m for m in self.members if m.no_kk == no_kk]

    def get(self, nik):
        return next((m for m in self.members if m.nik == nik), None)


def test_kematian_and_kelahiran_are_about_another_family_member(catalog, demo_store):
    person = _first(demo_store, lambda r: r.present and r.age(TODAY) >= 17 and len(demo_store.family(r.no_kk)) >= 2)
    alone = _Family([person])
    for code in ("KEMATIAN", "KELAHIRAN"):
        template = catalog.templates[code]
        assert template.check_eligibility(person, demo_store, TODAY) == []
        [reason] = template.check_eligibility(person, alone, TODAY)
        assert "Kartu Keluarga" in reason
    template = catalog.templates["KEMATIAN"]
    relative = next(m for m in demo_store.family(person.no_kk) if m.nik != person.nik)
    stranger = _first(demo_store, lambda r: r.no_kk != person.no_kk)
    base = {"tanggal_meninggal": "2026-11-20", "jam": "04:15", "tempat_jenis": "Rumah", "tempat_meninggal": "Rumah",
            "sebab": "Kecelakaan", "yang_menerangkan": "Dokter"}
    clean, errors = template.validate_fields({**base, "almarhum": relative.nik}, person, demo_store, TODAY)
    assert errors == [] and clean["almarhum"] == relative.nik
    for who in (stranger.nik, person.nik, "0000000000000000"):
        _clean, errors = template.validate_fields({**base, "almarhum": who}, person, demo_store, TODAY)
        assert len(errors) == 1 and "Kartu Keluarga" in errors[0]


def test_fields_are_checked(catalog, demo_store):
    person = _first(demo_store, lambda r: r.present)
    template = catalog.templates["PENGHASILAN"]
    clean, errors = template.validate_fields({"penghasilan": "Rp 2.500.000", "keperluan": "Lainnya sendiri"}, person, demo_store)
    assert errors == [] and clean["penghasilan"] == "2500000"
    _c, errors = template.validate_fields({"penghasilan": "banyak"}, person, demo_store)
    assert len(errors) == 2  # not a number, and the purpose is missing
    _c, errors = template.validate_fields({"penghasilan": "5", "keperluan": "x" * 81, "hobi": "x"}, person, demo_store)
    assert len(errors) == 2  # an unknown field, and a purpose too long
    ktp = catalog.templates["KTP_PROSES"]
    _c, errors = ktp.validate_fields({"proses": "dicuri", "keperluan": "Pengurusan bank"}, person, demo_store)
    assert len(errors) == 1 and "perekaman" in errors[0]
    bepergian = catalog.templates["BEPERGIAN"]
    _c, errors = bepergian.validate_fields({"tujuan": "Solo", "berangkat": "31-12-2026", "lama": "2 hari", "pengikut": "0",
                                            "keperluan": "Bekerja"}, person, demo_store)
    assert len(errors) == 1


def test_a_letter_that_says_akan_takes_no_day_already_past(catalog, demo_store):
    """Bepergian ("yang akan bepergian") and Keramaian ("yang akan menyelenggarakan") speak of what is still to
    come: a departure or an event before the letter's day would make the letter say something untrue."""
    from datetime import timedelta

    from appliance.letters.samples import example_fields

    person = _first(demo_store, lambda r: r.present and r.age(TODAY) >= 17)
    cases = {"BEPERGIAN": ("berangkat", {"tujuan": "Solo", "lama": "2 hari", "pengikut": "0", "keperluan": "Bekerja"}),
             "KERAMAIAN": ("tanggal_acara", None)}
    for code, (name, others) in cases.items():
        template = catalog.templates[code]
        fields = dict(others or example_fields(template, person, demo_store, TODAY))
        for offset, refused in ((-1, True), (0, False), (7, False)):
            fields[name] = (TODAY + timedelta(days=offset)).isoformat()
            _c, errors = template.validate_fields(fields, person, demo_store, TODAY)
            assert bool(errors) is refused, (code, offset, errors)


def test_a_refused_request_takes_no_number(demo_store, semenit_home):
    svc = LetterService(Settings(), semenit_home, demo_store)
    child = _first(demo_store, lambda r: r.present and r.age(svc.today()) < 17)
    with pytest.raises(LetterError) as info:
        svc.issue("SKCK", child.nik, {"keperluan": "Melamar pekerjaan"})
    assert info.value.code == "not_eligible" and info.value.reasons
    with pytest.raises(LetterError) as info:
        svc.issue("SKCK", "3404000000000000", {})
    assert info.value.code == "unknown_resident" and "3404****0000" in info.value.text()
    assert not svc.register.path.exists()


def test_the_reasons_say_the_code_tables_words_in_the_residents_language(catalog, demo_store):
    """OpenSID's labels as a sentence says them: "anak" in Indonesian, "child" in English (never the other
    language's word, never a shouted label)."""
    from appliance.i18n import set_language

    template = catalog.templates["SKTM"]  # for the head of the family only
    child = _first(demo_store, lambda r: r.present and r.kk_level == 4 and (r.age(TODAY) or 0) >= 17)
    [reason] = [r for r in template.check_eligibility(child, demo_store, TODAY) if "Kartu Keluarga" in r]
    assert "oleh: kepala keluarga." in reason and "sebagai anak dalam" in reason
    set_language("en")
    try:
        [reason] = [r for r in template.check_eligibility(child, demo_store, TODAY) if "family card" in r]
    finally:
        set_language("id")
    assert "requested by: head of the family." in reason and "recorded as child on" in reason
    assert "kepala" not in reason.lower() and "ANAK" not in reason
