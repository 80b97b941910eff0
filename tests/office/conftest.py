"""Fixtures of the office tests: a private cupsd (tests/cupsd.py) whose usb backend shows the printers a test plugs in."""

from __future__ import annotations

import pytest

from tests.cupsd import private_cupsd

# CUPS's usb backend, as cupsd runs it to list devices: here it announces the printers a test "plugs in"
# (lines of CUPS's backend protocol in usb-devices), since this machine has no USB printer.
USB_BACKEND = """#!/bin/sh
[ $# -eq 0 ] && cat {root}/usb-devices 2>/dev/null
exit 0
"""


@pytest.fixture
def private_cups():
    """A cupsd of our own: lpadmin, lpinfo and the queue script talk to it through CUPS_SERVER. Write
    backend lines into root/"usb-devices" to have printers seen on USB."""
    with private_cupsd({"usb": USB_BACKEND}) as cups:
        yield {"root": cups.root, "env": cups.env}


# The kiosk under Xvfb, as the UI tests run it (a private display, the app on real services).
from tests.ui.conftest import kiosk_factory, ui_display  # noqa: E402, F401
