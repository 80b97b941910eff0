"""Amounts in words and figures, occupations on Penghasilan, and names the letter fonts cannot draw."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from appliance.letters.catalog import load_catalog
from appliance.letters.words import angka, rupiah, terbilang
from appliance.render.fonts import drawable
from appliance.residents import codes


@pytest.mark.parametrize(("amount", "words"), [
    (0, "nol"), (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (19, "sembilan belas"), (100, "seratus"),
    (1000, "seribu"), (1001, "seribu satu"), (11000, "sebelas ribu"), (100000, "seratus ribu"),
    (1001000, "satu juta seribu"), (2001001, "dua juta seribu satu"), (1100000, "satu juta seratus ribu"),
    (999999999, "sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan ribu "
                "sembilan ratus sembilan puluh sembilan"),
])
def test_terbilang(amount, words):
    assert terbilang(amount) == words


def test_terbilang_reads_back_for_a_seeded_sample_up_to_999_999_999():
    digits = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
              "delapan": 8, "sembilan": 9}
    whole = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}

    def back(text: str) -> int:  # an independent reader of the words
        total = value = cur = 0
        for w in text.split():
            if w in digits:
                cur = digits[w]
            elif w in whole:
                value += whole[w]
            elif w in ("belas", "puluh", "ratus"):
                value += {"belas": 10 + cur, "puluh": cur * 10, "ratus": cur * 100}[w]
                cur = 0
            else:
                total += (value + cur) * {"ribu": 1000, "juta": 1_000_000}[w]
                value = cur = 0
        return total + value + cur

    rng = random.Random(13)
    for amount in [rng.randrange(0, 1_000_000_000) for _ in range(3000)] + list(range(0, 2100)):
        text = terbilang(amount)
        assert back(text) == amount, (amount, text)
        assert not re.search(r"(^|juta )satu ribu|satu (ratus|puluh|belas)", text), text


def test_figures_have_thousands_dots():
    assert angka(10000) == "10.000" and rupiah(999_999_999) == "Rp999.999.999" and rupiah(0) == "Rp0"


def test_penghasilan_for_every_occupation_code(demo_store):
    template = load_catalog().templates["PENGHASILAN"]
    person = next(r for r in sorted(demo_store, key=lambda r: r.nik) if r.present)
    today = date(2026, 11, 28)
    not_working = {"BELUM/TIDAK BEKERJA", "MENGURUS RUMAH TANGGA", "PELAJAR/MAHASISWA", "LAINNYA"}
    for code, label in codes.TABLES["pekerjaan"].items():
        reasons = template.check_eligibility(person._replace(pekerjaan_id=code), demo_store, today)
        assert bool(reasons) == (label in not_working), (code, label, reasons)
    _clean, errors = template.validate_fields({"penghasilan": "0", "keperluan": "Pengajuan kredit"}, person,
                                              demo_store, today)
    assert errors  # Rp0 is not an income a letter states


@pytest.mark.parametrize(("name", "ok"), [
    ("SITI AMINAH", True), ("JOSÉ MARÍA PEÑA", True), ("ÇAĞLA ŞENOL", True), ("O'CONNOR", True),
    ("ꦱꦸꦏꦂꦠꦺ", False), ("BUDI 😀", False), ("\u200b\u200b", False), ("   ", False), ("", False),
])
def test_drawable(name, ok):
    assert drawable(name) is ok


def test_a_name_the_fonts_cannot_draw_is_refused_not_printed_blank(demo_store):
    template = load_catalog().templates["PENDUDUK"]
    person = next(r for r in sorted(demo_store, key=lambda r: r.nik) if r.present and r.age(date(2026, 11, 28)) >= 17)
    reasons = template.check_eligibility(person._replace(nama="ꦱꦸꦏꦂꦠꦺ"), demo_store, date(2026, 11, 28))
    assert any("tidak dapat dicetak" in r for r in reasons)
