"""The resident session's reads: the deaths reported here are read once per session, not per question."""

from __future__ import annotations

from datetime import date

from appliance.letters import deaths
from appliance.services.kiosk import KioskSession, Step, VerificationGuard
from tests.clocks import Clock


def _family_case(store, catalog):
    """A letter with a family-member field, a resident who may ask for it, and that field's choices."""
    today = date.today()
    for template in catalog.templates.values():
        spec = next((f for f in template.fields if f.type == "family_member"), None)
        if spec is None or template.min_factor:
            continue
        for r in store:
            if r.present and r.birth_date and not template.check_eligibility(r, store, today):
                choices = template.family_choices(r, store, spec, today)
                if len(choices) >= 2:
                    return template, r, spec
    raise AssertionError("the demo village has a family for a family-member letter")


def _to_fields(session: KioskSession, code: str, resident) -> None:
    session.start()
    session.choose_letter(code)
    assert session.enter_nik(resident.nik) is None
    assert session.verify_birth_date(resident.birth_date).ok
    assert session.confirm() == []
    assert session.step in (Step.FIELDS, Step.PREVIEW)


def test_reported_deaths_are_read_once_per_session_and_a_new_death_holds_from_the_next(
        semenit_home, demo_store, catalog, monkeypatch):
    template, resident, spec = _family_case(demo_store, catalog)
    reads: list[str] = []
    real = deaths.blocked_niks
    monkeypatch.setattr(deaths, "blocked_niks", lambda home, store: reads.append("read") or real(home, store))
    session = KioskSession(demo_store, catalog, VerificationGuard(semenit_home, {}, clock=Clock()),
                           factor="birth_date")

    _to_fields(session, template.code, resident)  # eligibility asks
    first = session.field_choices(spec)  # the family choices ask
    session.field_choices(spec)
    assert all(not session.is_extra_field(f) for f in template.fields if f.type == "family_member")
    assert len(reads) == 1

    died = demo_store.get(first[0][0])
    deaths.record_death(semenit_home, died.nik, number="474.3/1/2026", day=date.today(), died="2026-01-01",
                        import_id=died.import_id)
    _to_fields(session, template.code, resident)  # a new session reads again, and honours the death
    assert len(reads) == 2
    assert died.nik not in {nik for nik, _text in session.field_choices(spec)}
    assert len(session.field_choices(spec)) == len(first) - 1
