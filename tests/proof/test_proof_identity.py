"""Scripted guessing through appliance.services.kiosk, as an attacker at the kiosk would script it:
every birth date of a decade (or every PIN) for one NIK, then the NIKs of a whole village."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from appliance.letters.catalog import load_catalog
from appliance.residents.store import ResidentStore
from appliance.services import kiosk
from appliance.services.kiosk import KioskSession, ResidentPins, Step, VerificationGuard

RESTARTED = r"""
import sys
from datetime import date
from appliance.letters.catalog import load_catalog
from appliance.residents.store import ResidentStore
from appliance.services.kiosk import KioskSession, VerificationGuard, ResidentPins
home, nik, factor, secret = sys.argv[1:5]
store = ResidentStore.open(home)
catalog = load_catalog()
session = KioskSession(store, catalog, VerificationGuard(home), factor=factor, pins=ResidentPins(home))
session.start()
session.choose_letter(next(iter(catalog.templates)))
print(session.enter_nik(nik))
"""


def _attack(session: KioskSession, catalog, nik: str, guesses, verify) -> tuple[int, bool]:
    """Guess until refused for good; returns (guesses actually evaluated, whether any got in)."""
    evaluated = 0
    for guess in guesses:
        session.start()
        session.choose_letter(next(iter(catalog.templates)))
        if session.enter_nik(nik) is not None:  # locked before the second factor is even asked
            return evaluated, False
        result = verify(session, guess)
        if result.ok:
            return evaluated + 1, True
        evaluated += 1
        if result.block is not None:
            return evaluated, False
    return evaluated, False


def _restart_says(home, nik: str, factor: str) -> str:
    out = subprocess.run([sys.executable, "-c", RESTARTED, str(home), nik, factor, ""], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def test_birth_date_guessing_is_locked_after_five_and_stays_locked_after_a_restart(demo_home):
    store = ResidentStore.open(demo_home)
    catalog = load_catalog()
    target = next(r for r in sorted(store, key=lambda r: r.nik) if r.present and r.birth_date)
    start = target.birth_date - timedelta(days=3)  # the right date is the 4th... after three wrong ones
    decade = [start + timedelta(days=i) for i in range(3650)]
    decade.remove(target.birth_date)
    decade.insert(7, target.birth_date)  # the attacker would reach the right date at guess 8
    session = KioskSession(store, catalog, VerificationGuard(demo_home), factor="birth_date")  # chosen knowingly
    evaluated, got_in = _attack(session, catalog, target.nik, decade,
                                lambda s, d: s.verify_birth_date(d))
    assert (evaluated, got_in) == (5, False)
    assert session.step == Step.LOCKED and session.block.reason == "nik_locked" and session.block.minutes == 15
    # A restarted kiosk (a new process) still refuses the NIK before asking anything, right date or not.
    assert _restart_says(demo_home, target.nik, "birth_date") == "ui.locked.title"
    guard_file = (demo_home / kiosk.GUARD_FILE).read_text()
    assert target.nik not in guard_file and target.birth_date.isoformat() not in guard_file


def test_pin_guessing_is_locked_after_five_and_the_right_pin_does_not_help(demo_home):
    store = ResidentStore.open(demo_home)
    catalog = load_catalog()
    target = next(r for r in sorted(store, key=lambda r: r.nik) if r.present)
    pins = ResidentPins(demo_home)
    pins.set(target.nik, "4821")
    session = KioskSession(store, catalog, VerificationGuard(demo_home), factor="pin", pins=pins)
    every_pin = [f"{n:04d}" for n in range(10_000)]
    evaluated, got_in = _attack(session, catalog, target.nik, every_pin, lambda s, p: s.verify_pin(p))
    assert (evaluated, got_in) == (5, False)
    assert _restart_says(demo_home, target.nik, "pin") == "ui.locked.title"
    assert "4821" not in (demo_home / kiosk.RESIDENT_PINS_FILE).read_text()


def test_guessing_across_many_niks_is_paced_and_never_closes_the_kiosk(demo_home):
    """One wrong guess on each of 200 residents: after the global limit (20 in 10 minutes by default) each
    further check waits one pace (20 s) after the last failure; the guesser gets one try per pace, and an
    honest resident gets in after at most one pace, not after the whole window."""
    store = ResidentStore.open(demo_home)
    catalog = load_catalog()
    now = [1_900_000_000.0]
    guard = VerificationGuard(demo_home, clock=lambda: now[0])
    session = KioskSession(store, catalog, guard, factor="birth_date")
    people = [r for r in sorted(store, key=lambda r: r.nik) if r.present and r.birth_date]
    evaluated = 0
    for resident in people[:-1]:
        now[0] += 1.0
        session.start()
        session.choose_letter(next(iter(catalog.templates)))
        if session.enter_nik(resident.nik) is not None:
            assert session.block.reason == "rate_limited"
            assert session.block.retry_after_s <= kiosk.DEFAULTS["global_pace_s"]
            continue
        result = session.verify_birth_date(resident.birth_date.replace(day=1) - timedelta(days=1))
        assert not result.ok
        evaluated += 1
    # 20 at full speed, then one per pace: 180 further seconds allow 180 / 20 = 9 more guesses at most.
    assert kiosk.DEFAULTS["global_max_failures"] <= evaluated <= kiosk.DEFAULTS["global_max_failures"] + 10
    honest = people[-1]
    session.start()
    session.choose_letter(next(iter(catalog.templates)))
    if session.enter_nik(honest.nik) is not None:
        assert session.block.reason == "rate_limited"
        now[0] += kiosk.DEFAULTS["global_pace_s"]  # one pace, far less than the 10-minute window
        session.start()
        session.choose_letter(next(iter(catalog.templates)))
        assert session.enter_nik(honest.nik) is None
    assert session.verify_birth_date(honest.birth_date).ok


def test_a_locked_nik_gives_no_hint_which_factor_was_wrong(demo_home):
    store = ResidentStore.open(demo_home)
    catalog = load_catalog()
    guard = VerificationGuard(demo_home)
    unknown = "3404130101990009"
    assert store.get(unknown) is None
    session = KioskSession(store, catalog, guard, factor="birth_date")
    results = []
    for nik in (unknown, next(iter(store)).nik):
        session.start()
        session.choose_letter(next(iter(catalog.templates)))
        assert session.enter_nik(nik) is None  # an unknown NIK is not revealed at this step
        results.append(session.verify_birth_date(date(1901, 1, 1)))
    assert [r.ok for r in results] == [False, False] and [r.block for r in results] == [None, None]
