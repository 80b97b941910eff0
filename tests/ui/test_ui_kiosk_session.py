"""The resident session without a display: steps, second factors, lockout, rate limit, wiping."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from appliance.config import Settings
from appliance.residents.nik import mask
from appliance.services import kiosk
from appliance.services.kiosk import KioskSession, SessionError, Step, VerificationGuard
from tests.clocks import Clock


def _adult(store, today=None):
    today = today or date.today()
    return next(r for r in store if r.present and r.birth_date and r.age(today) >= 20)


def _eligible(store, catalog, resident):
    return next(t for t in catalog.templates.values()
                if not t.min_factor and not t.check_eligibility(resident, store, date.today()))


def _session(home, store, catalog, clock=None, **conf):
    """A session whose village chose the birth date knowingly (weak; the default is a PIN)."""
    guard = VerificationGuard(home, conf, clock=clock or Clock())
    return KioskSession(store, catalog, guard, factor="birth_date")


def test_check_nik_refuses_what_cannot_be_a_nik():
    assert kiosk.check_nik("3404135001900001") is None
    assert kiosk.check_nik("3404135001900001"[:15]) == "ui.nik.error_length"
    assert kiosk.check_nik("34041350019000a1") == "ui.nik.error_length"
    assert kiosk.check_nik("0000005001900001") == "ui.nik.error_invalid"
    assert kiosk.check_nik("3404139913900001") == "ui.nik.error_invalid"  # day 99
    assert kiosk.check_nik("3404137101900001") is None  # a woman: day + 40
    assert kiosk.check_nik("3404130115900001") == "ui.nik.error_invalid"  # month 15


def test_whole_flow_birth_date_to_preview(semenit_home, demo_store, catalog):
    r = _adult(demo_store)
    t = _eligible(demo_store, catalog, r)
    s = _session(semenit_home, demo_store, catalog)
    s.start()
    assert s.step == Step.LETTER
    s.choose_letter(t.code)
    assert s.enter_nik(r.nik[:15]) == "ui.nik.error_length"
    assert s.step == Step.NIK
    assert s.enter_nik(r.nik) is None and s.step == Step.VERIFY
    assert s.masked_nik == mask(r.nik) and r.nik[4:12] not in s.masked_nik
    assert s.verify_birth_date(r.birth_date).ok
    assert s.step == Step.CONFIRM and s.resident.nik == r.nik
    assert s.confirm() == []
    while s.step == Step.FIELDS:
        spec = s.current_field()
        s.set_field((spec.choices or ("x",))[0] if spec.required else None)
    assert s.step == Step.PREVIEW
    s.printing()
    s.printed("issued-letter")
    assert s.step == Step.DONE and s.issued == "issued-letter"


def test_unknown_nik_fails_like_a_wrong_birth_date(semenit_home, demo_store, catalog):
    r = _adult(demo_store)
    s = _session(semenit_home, demo_store, catalog)
    s.start()
    s.choose_letter(next(iter(catalog.templates)))
    unknown = "3404135001909999"
    assert demo_store.get(unknown) is None
    assert s.enter_nik(unknown) is None  # not told it is unknown: no way to probe who lives here
    result = s.verify_birth_date(r.birth_date)
    assert not result.ok and result.block is None and s.step == Step.VERIFY


def test_five_failures_lock_the_nik_for_15_minutes_across_restarts(semenit_home, demo_store, catalog):
    r = _adult(demo_store)
    clock = Clock()
    wrong = r.birth_date.replace(year=r.birth_date.year - 1)
    s = _session(semenit_home, demo_store, catalog, clock)
    s.start()
    s.choose_letter(next(iter(catalog.templates)))
    s.enter_nik(r.nik)
    for _ in range(4):
        assert not s.verify_birth_date(wrong).ok
        assert s.step == Step.VERIFY
    result = s.verify_birth_date(wrong)
    assert result.block is not None and result.block.reason == "nik_locked"
    assert result.block.minutes == 15 and s.step == Step.LOCKED

    # A restart (a new guard and session reading the same file) keeps the lock; the right date does not help.
    clock.t += 60
    s2 = _session(semenit_home, demo_store, catalog, clock)
    s2.start()
    s2.choose_letter(next(iter(catalog.templates)))
    assert s2.enter_nik(r.nik) == "ui.locked.title"
    assert s2.step == Step.LOCKED and s2.block.minutes == 14
    # The file holds no NIK.
    assert r.nik not in (semenit_home / kiosk.GUARD_FILE).read_text()

    clock.t += 14 * 60 + 1
    s3 = _session(semenit_home, demo_store, catalog, clock)
    s3.start()
    s3.choose_letter(next(iter(catalog.templates)))
    assert s3.enter_nik(r.nik) is None
    assert s3.verify_birth_date(r.birth_date).ok


def test_clock_set_back_does_not_lengthen_the_lock(semenit_home):
    clock = Clock()
    guard = VerificationGuard(semenit_home, {}, clock=clock)
    for _ in range(5):
        guard.failure("3404135001900001")
    clock.t -= 3600  # NTP correction backwards
    block = guard.check("3404135001900001")
    assert block is not None and block.retry_after_s <= 15 * 60


def test_guessing_across_many_niks_is_paced_not_a_pause_for_the_village(semenit_home):
    clock = Clock()
    guard = VerificationGuard(semenit_home, {"global_max_failures": 6, "global_window_s": 300,
                                             "global_pace_s": 20}, clock=clock)
    niks = [f"34041350019{n:05d}" for n in range(10)]
    blocks = []
    for nik in niks[:6]:
        clock.t += 1
        blocks.append(guard.failure(nik))
    assert blocks[:5] == [None] * 5
    assert blocks[5] is not None and blocks[5].reason == "rate_limited" and blocks[5].retry_after_s <= 20
    # Every NIK waits one pace, even one never tried; then it may try again, within the window.
    assert guard.check(niks[9]).reason == "rate_limited"
    clock.t += 20
    assert guard.check(niks[9]) is None
    # Each further wrong guess costs the guesser another pace.
    assert guard.failure(niks[7]).reason == "rate_limited"
    clock.t += 20
    assert guard.check(niks[9]) is None


def test_tag_and_pin_factors(semenit_home, demo_store, catalog):
    r = _adult(demo_store)
    guard = VerificationGuard(semenit_home, {}, clock=Clock())
    plain = next(code for code, t in catalog.templates.items() if not t.min_factor)
    s = KioskSession(demo_store, catalog, guard, factor="tag")
    s.start()
    s.choose_letter(plain)
    s.enter_nik(r.nik)
    assert not s.verify_tag("").ok
    if r.tag_id_card:
        assert s.verify_tag(r.tag_id_card + "\n").ok
    else:  # a resident without a card cannot use the tag factor
        assert not s.verify_tag("1234567890").ok

    pins = kiosk.ResidentPins(semenit_home)
    pins.set(r.nik, "6543")
    assert r.nik not in (semenit_home / kiosk.RESIDENT_PINS_FILE).read_text()
    s = KioskSession(demo_store, catalog, guard, factor="pin", pins=pins)
    s.start()
    s.choose_letter(plain)
    s.enter_nik(r.nik)
    assert not s.verify_pin("6544").ok
    assert s.verify_pin("6543").ok
    with pytest.raises(ValueError):
        KioskSession(demo_store, catalog, guard, factor="fingerprint")


def test_wipe_forgets_everything_and_late_results_do_not_come_back(semenit_home, demo_store, catalog):
    r = _adult(demo_store)
    s = _session(semenit_home, demo_store, catalog)
    s.start()
    s.choose_letter(next(iter(catalog.templates)))
    s.enter_nik(r.nik)
    # A verification still running in a worker thread when the idle timer wipes the session.
    gate, done = threading.Event(), threading.Event()
    real_get = demo_store.get

    def slow_get(nik):
        gate.wait(5)
        return real_get(nik)

    demo_store.get = slow_get
    try:
        worker = threading.Thread(target=lambda: (s.verify_birth_date(r.birth_date), done.set()))
        worker.start()
        s.wipe()
        gate.set()
        worker.join(5)
    finally:
        demo_store.get = real_get
    assert done.is_set()
    assert s.step == Step.HOME and s.resident is None and s.nik == "" and s.fields == {}
    state = vars(s.s)
    assert all(v in (None, "", [], {}, 0, Step.HOME) for v in state.values()), state


def test_steps_out_of_order_are_refused_and_back_forgets(semenit_home, demo_store, catalog):
    r = _adult(demo_store)
    s = _session(semenit_home, demo_store, catalog)
    with pytest.raises(SessionError):
        s.choose_letter(next(iter(catalog.templates)))
    s.start()
    s.choose_letter(next(iter(catalog.templates)))
    s.enter_nik(r.nik)
    s.verify_birth_date(r.birth_date)
    s.not_me()
    assert s.step == Step.NIK and s.resident is None and s.nik == "" and s.letter is not None
    s.back()
    assert s.step == Step.LETTER and s.letter is None


def test_ineligible_gives_plain_reasons(semenit_home, demo_store, catalog):
    today = date.today()
    pair = next((r, t) for t in catalog.templates.values() for r in demo_store
                if r.present and r.birth_date and not t.min_factor and t.check_eligibility(r, demo_store, today))
    r, t = pair
    s = _session(semenit_home, demo_store, catalog)
    s.start()
    s.choose_letter(t.code)
    s.enter_nik(r.nik)
    assert s.verify_birth_date(r.birth_date).ok
    reasons = s.confirm()
    assert reasons and s.step == Step.INELIGIBLE and all(isinstance(x, str) and len(x) > 10 for x in reasons)


def test_settings_section_defaults():
    conf = Settings({"kiosk": {"lockout_attempts": 3}}).section("kiosk", kiosk.DEFAULTS)
    assert conf["lockout_attempts"] == 3 and conf["lockout_minutes"] == 15 and conf["idle_timeout_s"] == 60


def test_core_and_cli_start_without_kivy_or_gpio():
    import subprocess
    import sys

    code = ("import sys\n"
            "from appliance.cli import build_parser\n"
            "build_parser()\n"
            "import appliance.services.kiosk, appliance.services.operator, appliance.services.usb\n"
            "import appliance.services.unit, appliance.services.operator_actions, appliance.services.status\n"
            "import appliance.uix.tour\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('kivy', 'gpiozero')]\n"
            "print(','.join(bad))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""
