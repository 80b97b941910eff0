"""After a Kematian letter the deceased gets no further letters at the kiosk until an import settles it, and
the deaths reported are listed for the operator's daily summary (appliance/letters/deaths.py)."""

from __future__ import annotations

import pytest

from appliance.letters import deaths
from appliance.letters.samples import eligible_resident, example_fields
from appliance.letters.service import LetterError


class _After:
    """The store as the next import leaves it: the deceased's row changed by another import."""

    def __init__(self, store, nik, **change):
        self.store, self.nik, self.change = store, nik, change

    def get(self, nik):
        row = self.store.get(nik)
        return row._replace(**self.change) if nik == self.nik and row is not None else row


def _kematian(resident_store, make_service):
    """A letter service, today, a reporter who may ask for a Kematian letter, their example fields, and
    the family member those fields report dead."""
    svc = make_service(resident_store)
    today = svc.today()
    template = svc.catalog.templates["KEMATIAN"]
    reporter = eligible_resident(template, resident_store, today)
    fields = example_fields(template, reporter, resident_store, today)
    return svc, today, reporter, fields, resident_store.get(fields["almarhum"])


def test_a_reported_death_blocks_letters_until_an_import_settles_it(resident_store, make_service):
    svc, today, reporter, fields, deceased = _kematian(resident_store, make_service)
    issued = svc.wait(svc.issue("KEMATIAN", reporter.nik, fields), 30)
    assert issued.outcome == "done", issued.error

    assert deaths.blocked_niks(svc.home, resident_store) == {deceased.nik}
    [entry] = deaths.reported_on(svc.home, today)
    assert entry == {"nik": deceased.nik, "number": issued.number, "died": fields["tanggal_meninggal"]}
    # no letter for the deceased, and nobody may report the same death or name them again
    with pytest.raises(LetterError) as info:
        svc.issue("PENDUDUK", deceased.nik, {"keperluan": "Pengurusan BPJS"})
    assert info.value.code == "not_eligible" and "dilaporkan" in " ".join(info.value.reasons)
    with pytest.raises(LetterError) as info:
        svc.issue("KEMATIAN", reporter.nik, fields)
    assert info.value.code == "fields"
    # a reprint of the letter changes nothing; the next import that changes the row settles it
    deaths.record_death(svc.home, deceased.nik, number="X", day=today, died="2026-01-01", import_id="other")
    assert deaths.reported_on(svc.home, today)[0]["number"] == issued.number
    assert deaths.blocked_niks(svc.home, _After(resident_store, deceased.nik, import_id="next-import")) == set()
    assert deaths.blocked_niks(svc.home, _After(resident_store, deceased.nik, status_dasar=2)) == set()


def test_the_death_date_is_bounded(resident_store, make_service):
    svc, today, reporter, fields, deceased = _kematian(resident_store, make_service)
    template = svc.catalog.templates["KEMATIAN"]
    future = today.replace(year=today.year + 1).isoformat()
    before_birth = f"{int(deceased.tanggallahir[:4]) - 1}-01-01"
    for day, word in ((future, "setelah hari ini"), (before_birth, "sebelum tanggal lahir")):
        _c, errors = template.validate_fields({**fields, "tanggal_meninggal": day}, reporter, resident_store, today)
        assert len(errors) == 1 and word in errors[0], errors
    _c, errors = template.validate_fields({**fields, "jam": "25:00"}, reporter, resident_store, today)
    assert len(errors) == 1


def test_a_birth_names_a_mother_and_father_from_the_kk(resident_store, make_service):
    svc = make_service(resident_store)
    today = svc.today()
    template = svc.catalog.templates["KELAHIRAN"]
    reporter = eligible_resident(template, resident_store, today)
    mothers = dict(template.family_choices(reporter, resident_store, template.field("ibu"), today))
    fathers = dict(template.family_choices(reporter, resident_store, template.field("ayah"), today))
    assert mothers and all(resident_store.get(n).sex == 2 and resident_store.get(n).age(today) >= 10 for n in mothers)
    assert all(resident_store.get(n).sex == 1 and resident_store.get(n).age(today) >= 12 for n in fathers)
    fields = example_fields(template, reporter, resident_store, today)
    if fathers:
        _c, errors = template.validate_fields({**fields, "ibu": next(iter(fathers))}, reporter, resident_store, today)
        assert errors  # a man is not offered as the mother
    _c, errors = template.validate_fields({**fields, "tanggal_lahir": today.replace(year=today.year + 1).isoformat()},
                                          reporter, resident_store, today)
    assert any("setelah hari ini" in e for e in errors)
    old = today.replace(year=today.year - 1).isoformat()
    clean, errors = template.validate_fields({**fields, "tanggal_lahir": old}, reporter, resident_store, today)
    assert not errors
    from appliance.letters import model

    letter = model.build(template, svc.village, reporter, clean, number=None, day=today,
                         family=resident_store.family(reporter.no_kk))
    assert any(b[0] == "p" and "melewati batas pelaporan 60 hari" in b[1] for b in letter.blocks)
