from datetime import date

import pytest

from appliance.residents import codes
from appliance.residents.nik import NumberError, decode_nik, mask, parse_kk, parse_nik


@pytest.mark.parametrize("table,value,code", [
    ("sex", "L", 1), ("sex", "LK", 1), ("sex", "P", 2), ("sex", "PR", 2), ("sex", "Perempuan", 2),
    ("sex", "Laki-Laki", 1), ("sex", 2, 2), ("sex", "2", 2), ("sex", 1.0, 1),
    ("status_kawin", "BK", 1), ("status_kawin", "K", 2), ("status_kawin", "CH", 3), ("status_kawin", "CM", 4),
    ("status_kawin", "Cerai Mati", 4), ("kk_level", "Kepala Keluarga", 1), ("kk_level", "Orang Tua", 7),
    ("golongan_darah", "Tdk Th", 13), ("golongan_darah", "AB+", 9), ("golongan_darah", "O-", 12),
    ("golongan_darah", "A", 1), ("pendidikan_kk", "Tamat SD/Sederajat", 3),
    ("pendidikan_kk", "SLTA / Sederajat", 5), ("pekerjaan", "Mengurus Rumah Tangga", 2),
    ("pekerjaan", "WIRASWASTA", 88), ("pekerjaan", "89", 89), ("status_dasar", "Tidak Valid", 9),
    ("status_dasar", "Pindah Dalam Negeri", 3), ("agama", "Katolik", 3), ("warganegara", "WNI", 1),
])
def test_words_aliases_and_numbers_parse_to_codes(table, value, code):
    assert codes.parse(table, value) == code


@pytest.mark.parametrize("table,value", [("sex", "3"), ("sex", "X"), ("pekerjaan", 90), ("agama", 1.5),
                                         ("status_dasar", "5"), ("golongan_darah", "Z")])
def test_unknown_codes_are_refused(table, value):
    with pytest.raises(codes.UnknownCode):
        codes.parse(table, value)


def test_labels_both_ways_for_every_table():
    assert len(codes.PEKERJAAN) == 89 and len(codes.PENDIDIKAN_KK) == 10 and len(codes.GOLONGAN_DARAH) == 13
    for table, labels in codes.TABLES.items():
        for code, label in labels.items():
            assert codes.parse(table, label) == code
            assert codes.label(table, code) == label
    assert codes.label("agama", None) == ""
    assert codes.parse("agama", "") is None and codes.parse("agama", None) is None


@pytest.mark.parametrize("value,key", [
    ("340413500190000", "nik.length"), ("34041350019000011", "nik.length"), ("3404135001900A01", "nik.not_digits"),
    (9404135001900001.0, "nik.float_precision"), (True, "nik.not_digits"),
])
def test_bad_niks_are_refused_with_a_reason(value, key):
    with pytest.raises(NumberError) as err:
        parse_nik(value)
    assert err.value.key == key


def test_nik_forms_that_are_accepted():
    assert parse_nik("3404135001900001") == "3404135001900001"
    assert parse_nik(" 3404 1350 0190 0001 ") == "3404135001900001"
    assert parse_nik("'3404135001900001") == "3404135001900001"
    assert parse_nik(3404135001900001.0) == "3404135001900001"
    assert parse_nik("0") is None and parse_nik(0) is None and parse_nik("") is None
    assert parse_kk("3404130101200001") == "3404130101200001"
    with pytest.raises(NumberError) as err:
        parse_kk("12")
    assert err.value.key == "kk.length"


def test_decode_birth_date_and_sex_from_nik():
    woman = decode_nik("3404135001900001", today=date(2026, 11, 28))
    assert (woman.area, woman.birth_date, woman.sex, woman.serial) == ("340413", date(1990, 1, 10), 2, "0001")
    man = decode_nik("3404131712150002", today=date(2026, 11, 28))
    assert (man.birth_date, man.sex) == (date(2015, 12, 17), 1)
    assert decode_nik("3404133102900001").birth_date is None  # 31 February


def test_mask_never_shows_the_middle():
    assert mask("3404135001900001") == "3404****0001"
    assert mask("") == "" and mask(None) == ""
