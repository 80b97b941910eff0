"""Issue 12's two screens, driven by touches under Xvfb on the real identity services: the resident changes
their PIN at the kiosk with the old one, and the officer gives a one-time print code from the operator menu."""

from __future__ import annotations

from datetime import date

from appliance.identity.pins import ResidentPins
from appliance.uix.ui_screens.nik import grouped


def _change_pin(tour, nik: str, old: str, new: str, again: str | None = None) -> None:
    d, app = tour.d, tour.app
    d.wait_screen("pin_change")
    for typed in (nik, old, new, again or new):
        d.type_digits(typed)
        d.tap("next")
    d.wait(lambda: not app.screen("pin_change").checking and app.busy == 0, what="the PIN change")


def test_resident_changes_the_pin_and_only_the_new_one_verifies(kiosk_factory, semenit_home):
    tour = kiosk_factory((800, 480), fixture=False)
    d, app = tour.d, tour.app
    (resident, template), _ = tour.cases()
    ResidentPins(semenit_home).set(resident.nik, "4826")
    tour.home()
    d.tap("pin_change")
    d.wait_screen("pin_change")
    d.type_digits(resident.nik[:8])
    assert grouped(resident.nik[:8]) in app.screen("pin_change").shown  # the NIK is seen while typed
    d.type_digits(resident.nik[8:])
    d.tap("next")
    d.type_digits("4826")
    assert app.screen("pin_change").shown == "●●●●"  # PINs: dots only
    for pin in ("7391", "7391"):
        d.tap("next")
        d.type_digits(pin)
    d.tap("next")
    d.wait(lambda: app.screen("pin_change").stage == "done", what="the PIN changed")
    assert app.tr("identity.pin.changed") in d.texts()
    assert not any(resident.nik in t or grouped(resident.nik) in t for t in d.texts())
    d.tap("pin_change_done")
    assert app.sm.current == "home"
    pins = ResidentPins(semenit_home)
    assert pins.verify(resident.nik, "7391") and not pins.verify(resident.nik, "4826")

    # At the kiosk: the old PIN is refused, the new one lets the resident in.
    tour.to_letter(template.code)
    tour.enter_nik(resident.nik)
    tour.enter_pin("4826")
    assert app.sm.current == "verify" and app.screen("verify").error
    d.type_digits("7391")
    d.tap("next")
    d.wait_screen("confirm")
    assert app.session.resident.nik == resident.nik


def test_a_wrong_old_pin_is_refused_counted_and_batal_wipes_the_screen(kiosk_factory, semenit_home):
    tour = kiosk_factory((800, 480), fixture=False)
    d, app = tour.d, tour.app
    (resident, _t), _ = tour.cases()
    ResidentPins(semenit_home).set(resident.nik, "4826")
    assert tour.unit.tries_left(resident.nik) == 5
    tour.home()
    d.tap("pin_change")
    _change_pin(tour, resident.nik, "1111", "7391")
    screen = app.screen("pin_change")
    assert screen.stage == "old"  # the NIK is kept, the old PIN asked again
    assert screen.error == app.tr("identity.pin.wrong", tries=4)
    assert tour.unit.tries_left(resident.nik) == 4
    assert ResidentPins(semenit_home).verify(resident.nik, "4826")  # unchanged

    # The two new PINs differ: nothing is checked or counted, the new PIN is asked again.
    d.type_digits("4826")
    for pin in ("7391", "7392"):
        d.tap("next")
        d.type_digits(pin)
    d.tap("next")
    d.wait(lambda: not screen.checking and app.busy == 0, what="the mismatch")
    assert screen.stage == "new" and screen.error == app.tr("identity.pin.mismatch")
    assert tour.unit.tries_left(resident.nik) == 4

    d.type_digits("73")
    d.tap("cancel_session")
    assert app.sm.current == "home"
    assert screen.shown == screen.error == "" and screen.stage == "nik"
    assert set(screen._typed.values()) == {""}

    # Four more wrong old PINs lock the NIK, as wrong PINs at the verify step do.
    d.tap("pin_change")
    for _ in range(4):
        _change_pin(tour, resident.nik, "1111", "7391")
        if screen.stage == "old":
            d.tap("cancel_session")
            d.tap("pin_change")
    assert screen.stage == "nik" and "15" in screen.error
    assert ResidentPins(semenit_home).verify(resident.nik, "4826")

    # Idle: the warning, then home with the screen wiped.
    d.type_digits(resident.nik[:5])
    timeout = float(tour.unit.kiosk_conf["idle_timeout_s"]) + float(tour.unit.kiosk_conf["idle_warning_s"])
    d.advance(timeout + 1)
    assert app.sm.current == "home" and screen.shown == "" and screen._typed["nik"] == ""


def _sktm_resident(backend):
    template = backend.catalog.templates["SKTM"]
    today = date.today()
    return next(r for r in backend.store if r.present and r.birth_date
                and not template.check_eligibility(r, backend.store, today)), template


def test_operator_gives_a_print_code_that_prints_that_letter_once(kiosk_factory):
    # A village on birth dates: SKTM (min_factor "pin") then needs an officer's print code.
    tour = kiosk_factory((1280, 800), fixture=False, settings_text='[kiosk]\nsecond_factor = "birth_date"\n')
    d, app = tour.d, tour.app
    resident, template = _sktm_resident(tour.unit)
    tour.open_operator_menu()
    d.tap("op_print_code")
    d.wait_screen("operator_code")
    screen = app.screen("operator_code")
    d.type_digits(resident.nik)
    assert d.find("code_make").disabled  # no letter type yet
    d.tap("type_SKTM")
    d.tap("code_make")
    d.wait(lambda: bool(screen.code) or bool(screen.error), what="the code")
    code = screen.code
    assert len(code) == 6 and code.isdigit() and not screen.error
    assert code in d.texts()
    assert resident.nik not in " ".join(d.texts())  # the NIK is shown masked with the code
    d.tap("code_done")
    assert app.sm.current == "operator"
    assert not any(code in t for t in d.texts()) and screen.code == screen.detail == screen.shown == ""
    tour.app.leave_operator()

    for attempt in ("first", "second"):
        tour.home()
        tour.to_letter("SKTM")
        tour.enter_nik(resident.nik)
        d.wait_screen("verify")
        assert app.session.factor == "code"
        tour.enter_pin(code)
        if attempt == "first":
            assert app.sm.current == "confirm" and app.session.resident.nik == resident.nik
            assert app.session.identified["method"] == "code"
        else:
            assert app.sm.current == "verify" and app.screen("verify").error  # spent: refused


def test_print_code_refusals_and_the_idle_wipe(kiosk_factory):
    tour = kiosk_factory((1280, 800), fixture=False)
    d, app = tour.d, tour.app
    tour.open_operator_menu()
    d.tap("op_print_code")
    screen = app.screen("operator_code")
    unknown = "3201010101019999"
    d.type_digits(unknown)
    d.tap("type_SKTM")
    d.tap("code_make")
    d.wait(lambda: bool(screen.error), what="the refusal")
    assert screen.error.startswith("NIK 3201") and unknown not in screen.error and not screen.code
    timeout = float(tour.unit.kiosk_conf["idle_timeout_s"]) + float(tour.unit.kiosk_conf["idle_warning_s"])
    d.advance(timeout + 1)
    assert app.sm.current == "home" and screen.shown == screen.error == screen.letter == ""
