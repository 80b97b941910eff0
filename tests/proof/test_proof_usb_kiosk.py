"""The hostile USB stick in the running kiosk (real Kivy under Xvfb): the operator's import screen lists
only the resident files, a 2 GB file is refused with a message on the screen, and the UI thread keeps
drawing frames all along (the scan and the import run off it). The kiosk runs in its own process
(tests/proof/usb_kiosk_check.py): a Kivy window lives on one display for the life of a process."""

from __future__ import annotations

import subprocess
import sys

from tests.proof.conftest import REPO


def test_operator_import_from_a_hostile_stick_in_the_kiosk():
    proc = subprocess.run([sys.executable, "-m", "tests.proof.usb_kiosk_check"], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert proc.stdout.strip().startswith("ok:"), proc.stdout
