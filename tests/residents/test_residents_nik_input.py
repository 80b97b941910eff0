"""NIKs as real files write them (issue 14, items 4, 8, 10).

A NIK with separators is its digits (with a warning); only ASCII digits are a NIK (full-width and
Arabic-Indic digits map cleanly, a superscript does not); a resident whose row is in the file but
refused is never marked absent; a NIK that went through an Excel number is warned about.
"""

import pytest

from appliance.residents.importing import commit_import, plan_import
from appliance.residents.nik import NumberError, parse_nik, read_nik
from appliance.residents.store import ResidentStore
from tests.residents.conftest import person

NIK = "3404132408910001"


@pytest.mark.parametrize("written", ["3404-1324-0891-0001", "3404.1324.0891.0001", "3404 1324 0891 0001",
                                     "３４０４１３２４０８９１０００１", "٣٤٠٤١٣٢٤٠٨٩١٠٠٠١"])
def test_a_nik_written_with_separators_or_other_digits_reads_as_its_ascii_digits(written):
    nik, notes = read_nik(written)
    assert nik == NIK and nik.isascii()
    assert notes == {"import.warn.nik_normalised"}


@pytest.mark.parametrize("written", ["340413240891000²", "3404132408910001\u200b", "3404132408910OO1"])
def test_digits_that_are_not_digits_are_refused_not_crashed_on(written):
    with pytest.raises(NumberError) as caught:
        parse_nik(written)
    assert caught.value.key == "nik.not_digits"


def test_a_nik_that_was_an_excel_number_is_warned_about():
    assert read_nik(3404132408910000.0) == ("3404132408910000", {"import.warn.nik_was_number"})
    assert read_nik(3404132408910000) == ("3404132408910000", {"import.warn.nik_was_number"})
    assert read_nik("3404132408910000") == ("3404132408910000", set())


def test_refused_rows_are_never_marked_absent(semenit_home, write_csv):
    others = [person(nik=f"34041324089{i:05d}", nama=f"WARGA {i}") for i in range(2, 12)]
    store = ResidentStore.open(semenit_home)
    commit_import(plan_import(write_csv([person(nik=NIK)] + others), store), store)
    # The same people again; row 2 is refused for a reason that has nothing to do with the NIK, written with
    # dashes; row 3 has a superscript digit (refused); neither of them has left the village.
    rows = [person(nik="3404-1324-0891-0001", agama_id="99"), dict(others[0], nik=others[0]["nik"][:-1] + "²"),
            *others[1:]]
    plan = plan_import(write_csv(rows, name="lagi.csv"), store)
    assert {i.row for i in plan.report.refused} == {2, 3}
    assert plan.report.missing == []
    commit_import(plan, store)
    assert all(r.present for r in ResidentStore.open(semenit_home))


def test_separated_and_wide_niks_import_as_residents_the_keypad_finds(semenit_home, write_csv):
    store = ResidentStore.open(semenit_home)
    rows = [person(nik="3404-1324-0891-0001"), person(nik="３４０４１３２４０８９１０００２", nama="LEBAR")]
    plan = plan_import(write_csv(rows), store)
    assert not plan.report.refused
    assert [(w.row, w.key) for w in plan.report.warnings if w.key == "import.warn.nik_normalised"] == [
        (2, "import.warn.nik_normalised"), (3, "import.warn.nik_normalised")]
    commit_import(plan, store)
    assert store.get(NIK).nama == person()["nama"] and store.get("3404132408910002").nama == "LEBAR"
