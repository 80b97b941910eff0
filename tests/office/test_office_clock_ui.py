"""The kiosk after a boot with no NTP and no RTC (real Kivy under Xvfb, simulated touches): the first
letter waits for the operator to confirm the date with the operator PIN; after that, until the next boot,
letters go straight on; a boot with NTP asks nothing."""

from __future__ import annotations

from appliance.uix.tour import TOUR_PIN


def test_the_operator_confirms_the_date_before_the_first_letter(kiosk_factory, tmp_path):
    flag, rtc, boot = tmp_path / "synchronized", tmp_path / "rtc0", tmp_path / "boot_id"
    rtc.mkdir()
    boot.write_text("boot-1\n")
    tour = kiosk_factory((1280, 800), fixture=False, settings_text=(
        f'[clock]\nconfirm = "always"\nsynced_flag = "{flag}"\nrtc_dir = "{rtc}"\nboot_id = "{boot}"\n'))
    d, app = tour.d, tour.app

    tour.home()
    d.tap("print_letter")
    d.wait_screen("clock_confirm")
    screen = app.screen("clock_confirm")
    assert screen.now_text and any("PIN" in t for t in d.texts())
    # "Start over" leaves it as it is: the next resident is asked again.
    d.tap("home")
    d.wait_screen("home")
    d.tap("print_letter")
    d.wait_screen("clock_confirm")

    # A wrong PIN confirms nothing.
    d.tap("clock_correct")
    d.wait(lambda: app.dialog is not None, what="the PIN dialog")
    d.type_digits("1111")
    d.tap("pin_ok")
    d.wait(lambda: bool(app.dialog.error), what="the wrong-PIN message")
    assert app.sm.current == "clock_confirm"
    d.type_digits(TOUR_PIN)
    d.tap("pin_ok")
    d.wait_screen("letter")
    assert app.dialog is None

    # Confirmed for this boot: the next letter goes straight to the choice of letter.
    tour.home()
    d.tap("print_letter")
    d.wait_screen("letter")

    # A reboot (another boot id) without network: asked again; with NTP synchronised: not asked.
    boot.write_text("boot-2\n")
    tour.home()
    d.tap("print_letter")
    d.wait_screen("clock_confirm")
    flag.touch()
    tour.home()
    d.tap("print_letter")
    d.wait_screen("letter")
