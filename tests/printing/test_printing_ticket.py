"""Queue tickets and test pages as ESC/POS bytes; backends with nothing plugged in."""

from __future__ import annotations

import pytest

from appliance.config import Settings
from appliance.printing.printers import build_printer
from appliance.printing.state import parse_escpos_status
from appliance.queue import Ticket
from appliance.render.testpage import render_test_page
from appliance.render.ticket import render_ticket
from appliance.village import VillageProfile

VILLAGE = VillageProfile.from_settings(Settings({}))


def test_ticket_has_village_big_number_time_and_waiting():
    data = render_ticket(Ticket(12, "2026-11-28", "2026-11-28T14:05:00+07:00", 3), VILLAGE, "TM-T88V", 80)
    assert data.startswith(b"\x1b@")  # initialise
    assert b"KALURAHAN TRIHARJO" in data and b"Kapanewon Sleman" in data
    # GS ! 8x8, the number, then GS ! 0 back to normal size
    assert data.index(b"\x1d!\x77") < data.index(b"012\n") < data.index(b"\x1d!\x00")
    assert b"28-11-2026" in data and b"14:05" in data
    assert b"Menunggu sebelum Anda: 3 orang" in data
    assert data.rstrip(b"\n").endswith(b"\x1dV\x00")  # cut


def test_58mm_ticket_uses_a_smaller_number_and_first_in_line_is_told_so():
    data = render_ticket(Ticket(1, "2026-11-28", "2026-11-28T08:00:00+07:00", 0), VILLAGE, "POS-5890", 58)
    assert data.index(b"\x1d!\x55") < data.index(b"001\n")  # 6x6 fits 58 mm paper
    assert b"Anda berikutnya." in data


def test_test_pages():
    assert render_test_page("pdf", "letters").startswith(b"%PDF")
    escpos = render_test_page("escpos", "thermal", "TM-T88V", 80)
    assert b"HALAMAN UJI PRINTER SEMENIT" in escpos
    assert b"\x1d(k" in escpos  # native QR (GS ( k), not an image
    cheap = render_test_page("escpos", "thermal", "ZJ-5870", 58)
    assert b"\x1d(k" not in cheap  # the profile claims no native QR


@pytest.mark.parametrize(
    ("table", "detail"),
    [
        ({"backend": "usb", "vendor": "0x0416", "product": "0x5011"}, ""),
        ({"backend": "device", "path": "/dev/usb/lp-nothing-here"}, "missing"),
        ({"backend": "serial", "port": "/dev/ttyUSB-nothing-here"}, "missing"),
        ({"backend": "network", "host": "127.0.0.1", "port": 9, "timeout_s": 0.5}, "refused"),
    ],
)
def test_nothing_plugged_in_is_offline_not_a_crash(table, detail, tmp_path):
    state = build_printer("p", table, tmp_path).probe()
    assert state.status == "offline" and detail in state.detail


def test_escpos_status_bytes():
    ok, low, out = b"\x12", b"\x1e", b"\x72"
    online, offline = b"\x16", b"\x1e"
    assert parse_escpos_status(online, None, ok)[0] == "ready"
    assert parse_escpos_status(online, None, low)[0] == "paper_low"
    assert parse_escpos_status(online, None, out)[0] == "paper_out"
    assert parse_escpos_status(offline, b"\x16", ok)[0] == "cover_open"
    assert parse_escpos_status(offline, b"\x12", ok)[0] == "offline"
    assert parse_escpos_status(None, None, None)[0] == "unknown"  # silence is not "plenty of paper"
    assert parse_escpos_status(b"\xff", None, b"\xff")[0] == "unknown"  # garbage is not a status
