"""Issue 12 at the kiosk, driven by touches under Xvfb: the operator's "Ringkasan harian" prints the register's
anchor on the ticket printer (real ESC/POS to a loopback TCP printer), and "Ganti PIN" is on the home screen
only where the village's residents identify with a PIN."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.letters.letter_text import escpos_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "printing"))
from fakeprinter import TcpPrinter, wait_until  # noqa: E402

CODE = re.compile(r"\b(\d+-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})\b")


@pytest.fixture
def tcp_printer():
    server = TcpPrinter().start()
    yield server
    server.stop()


def test_the_operator_prints_the_day_summary_with_the_register_code(kiosk_factory, tcp_printer):
    settings = (f'[printers.loket]\nbackend = "network"\nhost = "127.0.0.1"\nport = {tcp_printer.port}\n'
                f'profile = "TM-T88V"\npaper_mm = 80\nrole = ["ticket"]\ntimeout_s = 0.5\n\n'
                f'[printing]\npoll_s = 0.2\npoll_attention_s = 0.1\nretry_base_s = 0.2\nretry_max_s = 0.4\n')
    tour = kiosk_factory((1280, 800), fixture=False, settings_text=settings)
    d, app, unit = tour.d, tour.app, tour.unit
    register = unit.letters.register
    today = unit.local_time().date().isoformat()
    for n in (7, 8, 9):
        register.append("issued", f"470/{n:03d}/TRJ/XI/2026", code="PENGANTAR", title="Pengantar", nik="",
                        nama=f"WARGA {n}", fields={}, day=today, qr="", snapshot={})
    tour.open_operator_menu()
    screen = app.screen("operator")
    # Today's letters are on no printed summary: the menu says so and lights the button up.
    due = app.tr("letters.summary.due")
    d.wait(lambda: screen.summary_due, timeout=20, what="the reminder")
    d.settle()
    assert d.find("op_day_summary").role == "go"
    assert screen.usb_text == due  # no stick in: the menu's one status line is the reminder
    d.tap("op_day_summary")
    d.wait(lambda: bool(screen.result), timeout=20, what="the summary sent")
    [code] = CODE.findall(screen.result)
    assert code == register.recorded_anchors()[-1].text and code.startswith("3-")
    assert app.tr("letters.summary.sent", printer="loket", state="x", code=code, secretary="Carik").split("(")[0] in screen.result
    assert "Minta Carik menandatangani" in screen.result

    assert wait_until(lambda: b"\x1dV\x00" in bytes(tcp_printer.model.printed), timeout=20)
    text = "\n".join(escpos_text(bytes(tcp_printer.model.printed), "TM-T88V"))
    assert CODE.findall(text) == [code]
    assert "Surat terbit hari ini: 3" in text
    assert "470/007/TRJ/XI/2026" in text and "470/009/TRJ/XI/2026" in text and "Tanda tangan" in text
    assert register.verify([register.recorded_anchors()[-1]]).ok
    d.tap("ok")
    assert app.sm.current == "operator"
    d.wait(lambda: not screen.summary_due, timeout=20, what="the reminder gone once the summary printed")
    d.settle()
    assert d.find("op_day_summary").role == "primary"
    assert not any(due in getattr(w, "text", "") for w in screen.walk())


@pytest.mark.parametrize(("factor", "offered"), [("pin", True), ("birth_date", False)])
def test_ganti_pin_is_offered_only_where_residents_have_pins(kiosk_factory, factor, offered):
    tour = kiosk_factory((1280, 800), fixture=False, settings_text=f'[kiosk]\nsecond_factor = "{factor}"\n')
    d, app = tour.d, tour.app
    tour.home()
    assert d.has("pin_change") is offered
    aids = d.find("speech").parent
    assert aids.cols == (4 if offered else 3)  # no empty cell where the button was
    assert {"speech", "large_text"} <= {getattr(w, "name", "") for w in aids.children}
    if offered:
        d.tap("pin_change")
        d.wait_screen("pin_change")
    else:  # not hidden in place: not on the home screen at all
        assert not [w for w in app.screen("home").walk() if getattr(w, "text", "") == app.tr("identity.pin.home_button")]
