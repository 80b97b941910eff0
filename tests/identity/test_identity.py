"""Second factors with honest strength (issue 12): nothing a KTP or KK photocopy reveals is accepted by
default, the slow hash runs once for every NIK, print codes are one NIK + one letter type + once, letter
types ask for their least factor, and the register entry says how the resident identified."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.cli import main
from appliance.config import Settings
from appliance.identity.codes import PrintCodes
from appliance.identity.guard import VerificationGuard
from appliance.identity.hasher import SlowHasher
from appliance.identity.pins import ResidentPins
from appliance.identity.service import Identity
from appliance.letters.catalog import TemplateError, load_catalog, parse_template
from appliance.services import kiosk
from appliance.services.kiosk import KioskSession, Step
from tests.clocks import Clock


def _birth_date_from_nik(nik: str) -> date:
    """What anyone holding a KTP photocopy can read: digits 7–12 are DDMMYY, women's day + 40."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    return date(2000 + year if year <= date.today().year % 100 else 1900 + year, month, day - 40 if day > 40 else day)


def _plain(catalog, resident, store):
    return next(t for t in catalog.templates.values()
                if not t.min_factor and not t.check_eligibility(resident, store, date.today()))


def _walk(session: KioskSession, letter: str, nik: str) -> None:
    session.start()
    session.choose_letter(letter)
    assert session.enter_nik(nik) is None


def _default_session(home, store, catalog, clock=None) -> KioskSession:
    """A session exactly as the kiosk makes it from default settings."""
    conf = Settings().section("kiosk", kiosk.DEFAULTS)
    guard = VerificationGuard(home, conf, clock=clock or Clock())
    return KioskSession(store, catalog, guard, identity=Identity.for_kiosk(home, store, guard, conf))


def test_the_birth_date_derived_from_the_nik_is_refused_by_default(semenit_home, demo_store, catalog):
    assert kiosk.DEFAULTS["second_factor"] == "pin"
    residents = [r for r in demo_store if r.present and r.birth_date][:10]
    derived_right = 0
    for resident in residents:
        derived = _birth_date_from_nik(resident.nik)
        derived_right += derived == resident.birth_date
        session = _default_session(semenit_home, demo_store, catalog)
        assert session.factor == "pin"
        _walk(session, _plain(catalog, resident, demo_store).code, resident.nik)
        assert not session.verify_birth_date(derived).ok
        assert session.step == Step.VERIFY and session.resident is None
    assert derived_right == len(residents)  # the photocopy attack would have worked every time


def test_the_slow_hash_runs_once_for_unknown_pinless_and_pin_holding_niks(semenit_home, demo_store, catalog):
    hasher = SlowHasher()
    pins = ResidentPins(semenit_home, hasher)
    holder, pinless = [r for r in demo_store if r.present][:2]
    pins.set(holder.nik, "4826")
    unknown = "3404130101990009"
    assert demo_store.get(unknown) is None
    guard = VerificationGuard(semenit_home, {"lockout_attempts": 1000, "global_max_failures": 1000}, clock=Clock())
    identity = Identity(demo_store, guard, "pin", pins, PrintCodes(semenit_home, hasher), hasher)
    letter = _plain(load_catalog(), holder, demo_store)
    for method, answer in (("pin", "1111"), ("code", "123456"), ("birth_date", date(1990, 1, 1)), ("tag", "99")):
        for nik in (unknown, pinless.nik, holder.nik):
            for _ in range(5):
                before = hasher.calls
                assert not identity.identify(nik, method, answer, letter).ok
                assert hasher.calls - before == 1, (method, nik == unknown, nik == pinless.nik)
    before = hasher.calls
    assert identity.identify(holder.nik, "pin", "4826", letter).ok
    assert hasher.calls - before == 1


def test_pin_registered_by_the_operator_changed_at_the_kiosk_reset_only_by_the_operator(
        semenit_home, demo_store, catalog, tmp_path, capsys):
    resident = next(r for r in demo_store if r.present)
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("4826\n")
    assert main(["operator", "resident-pin", resident.nik, "--pin-file", str(pin_file)]) == 0
    assert resident.nik not in capsys.readouterr().out
    session = _default_session(semenit_home, demo_store, catalog)
    identity = session.identity
    assert identity.change_pin(resident.nik, "4826", "12") == ("ui.operator.pin_length", None)
    assert identity.change_pin(resident.nik, "0000", "97531")[0] == "wrong"
    assert identity.change_pin(resident.nik, "4826", "97531") == ("changed", None)
    letter = _plain(catalog, resident, demo_store).code
    _walk(session, letter, resident.nik)
    assert not session.verify_pin("4826").ok
    assert session.verify_pin("97531").ok
    assert session.identified == {"method": "pin", "strength": 2}
    text = (semenit_home / kiosk.RESIDENT_PINS_FILE).read_text()
    assert resident.nik not in text and "97531" not in text
    # Wrong old PINs at the PIN-change screen count toward the same lockout.
    for _ in range(4):
        assert identity.change_pin(resident.nik, "0000", "11111")[0] == "wrong"
    status, block = identity.change_pin(resident.nik, "0000", "11111")
    assert status == "wrong" and block is not None and block.reason == "nik_locked"


def test_print_code_one_nik_one_letter_type_once_and_limited_time(semenit_home, demo_store, catalog, capsys):
    head = next(r for r in demo_store if r.present and r.kk_level == 1
                and not catalog.templates["SKTM"].check_eligibility(r, demo_store, date.today()))
    other = next(r for r in demo_store if r.present and r.nik != head.nik)
    assert main(["operator", "print-code", head.nik, "SKTM", "--minutes", "30"]) == 0
    out = capsys.readouterr().out
    code = next(word for word in out.replace(",", " ").split() if word.isdigit() and len(word) == 6)
    assert head.nik not in out and code not in (semenit_home / "print_codes.json").read_text()
    assert main(["operator", "print-code", head.nik, "NOPE"]) == 1
    assert main(["operator", "print-code", "3404130101990009", "SKTM"]) == 1
    assert "NOPE" in capsys.readouterr().err

    clock = Clock()
    session = _default_session(semenit_home, demo_store, catalog, clock)
    # The code does not open another letter type, nor another resident's NIK.
    plain = _plain(catalog, head, demo_store).code
    _walk(session, plain, head.nik)
    assert not session.verify_code(code).ok
    _walk(session, "SKTM", other.nik)
    assert not session.verify_code(code).ok
    # SKTM asks for the code when the village's factor is weaker than its minimum; a PIN holder may use either.
    _walk(session, "SKTM", head.nik)
    assert session.factor == "pin"
    assert session.verify_code(code).ok and session.identified == {"method": "code", "strength": 3}
    _walk(session, "SKTM", head.nik)
    assert not session.verify_code(code).ok  # spent

    codes = PrintCodes(semenit_home, clock=clock)
    issued = codes.issue(head.nik, "SKTM", minutes=10)
    clock.t += 601
    assert not codes.verify(head.nik, issued.code, "SKTM")


def test_a_letter_type_asks_for_its_least_factor(semenit_home, demo_store, catalog):
    head = next(r for r in demo_store if r.present and r.kk_level == 1 and r.birth_date
                and not catalog.templates["SKTM"].check_eligibility(r, demo_store, date.today()))
    assert catalog.templates["SKTM"].min_factor == "pin" and catalog.templates["BELUM_MENIKAH"].min_factor == "pin"
    guard = VerificationGuard(semenit_home, {}, clock=Clock())
    session = KioskSession(demo_store, catalog, guard, factor="birth_date")
    _walk(session, "SKTM", head.nik)
    assert session.factor == "code"  # the screen asks for an officer's code, not the birth date
    assert not session.verify_birth_date(head.birth_date).ok
    _walk(session, _plain(catalog, head, demo_store).code, head.nik)
    assert session.factor == "birth_date" and session.verify_birth_date(head.birth_date).ok
    assert session.identified == {"method": "birth_date", "strength": 0}


def test_min_factor_is_checked_when_the_template_loads():
    text = (load_catalog().templates["SKTM"].source).read_text(encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        parse_template(text.replace('min_factor = "pin"', 'min_factor = "sidik_jari"'))
    assert "sidik_jari" in str(err.value.args) or "sidik_jari" in str(err.value)


def test_the_register_entry_records_how_the_resident_identified(semenit_home, demo_store, catalog, make_service):
    from appliance.letters.register import Register
    from appliance.letters.samples import example_fields

    resident = next(r for r in demo_store if r.present and r.birth_date and r.age() and r.age() >= 20)
    pins = ResidentPins(semenit_home)
    pins.set(resident.nik, "4826")
    session = _default_session(semenit_home, demo_store, catalog)
    template = _plain(catalog, resident, demo_store)
    _walk(session, template.code, resident.nik)
    assert session.verify_pin("4826").ok
    svc = make_service(demo_store)
    issued = svc.issue(template.code, resident.nik, example_fields(template, resident, demo_store),
                       identified=session.identified)
    entry = Register(semenit_home).get(issued.number).events[0]
    assert entry["identified"] == {"method": "pin", "strength": 2}
    cli = svc.issue(template.code, resident.nik, example_fields(template, resident, demo_store))
    assert Register(semenit_home).get(cli.number).events[0]["identified"] == {"method": "operator"}


def test_an_unknown_second_factor_stops_the_unit_at_start_with_its_setting_named():
    from appliance.settings_check import check

    [problem] = check(Settings({"kiosk": {"second_factor": "nik"}}))
    assert problem.setting == "kiosk.second_factor" and '"nik"' in problem.reason and "birth_date" in problem.reason
    for factor in ("pin", "tag", "birth_date"):
        assert check(Settings({"kiosk": {"second_factor": factor}})) == []
