"""Operator PIN (argon2 hash, CLI), the USB watcher, the watchdog datagram, restart on a desktop."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time

import pytest

from appliance.services import operator as op
from appliance.services.usb import UsbWatcher, scan
from appliance.uix import watchdog


def test_pin_is_an_argon2_hash_readable_only_by_the_kiosk(semenit_home):
    pin = op.OperatorPin(semenit_home)
    assert not pin.is_set() and not pin.verify("1234")
    pin.set("908172")
    text = (semenit_home / op.PIN_FILE).read_text()
    assert "908172" not in text and "$argon2id$" in text
    assert stat.S_IMODE((semenit_home / op.PIN_FILE).stat().st_mode) == 0o600
    assert pin.verify("908172") and not pin.verify("908173") and not pin.verify("")
    for bad in ("12a4", "123", "1" * 13):
        with pytest.raises(op.PinError):
            pin.set(bad)
    assert pin.verify("908172")


def test_cli_set_pin_from_file(semenit_home, tmp_path):
    pin_file = tmp_path / "pin"
    pin_file.write_text("  5566\n")
    env = {**os.environ, "SEMENIT_HOME": str(semenit_home)}
    run = subprocess.run([sys.executable, "-m", "appliance", "operator", "set-pin", "--pin-file", str(pin_file)],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert op.OperatorPin(semenit_home).verify("5566")
    pin_file.write_text("55x6")
    run = subprocess.run([sys.executable, "-m", "appliance", "operator", "set-pin", "--pin-file", str(pin_file),
                          "--lang", "en"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "digits only" in run.stderr
    assert op.OperatorPin(semenit_home).verify("5566")  # unchanged
    run = subprocess.run([sys.executable, "-m", "appliance", "operator", "set-pin"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2


def test_restart_on_a_desktop_runs_nothing(monkeypatch):
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    assert not op.on_unit({})
    action = op.system_action("shutdown", op.on_unit({}))
    assert action.command == ["systemctl", "poweroff"]
    assert op.run_system_action(action) is False
    assert op.on_unit({"mode": "unit"})


def test_usb_scan_offers_only_regular_resident_files(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.csv").write_text("x")
    (tmp_path / "sub" / "deeper" / "deepest").mkdir(parents=True)
    (tmp_path / "sub" / "b.CSV").write_text("x")
    (tmp_path / "semenit-ekspor" / "20261128-0900").mkdir(parents=True)
    (tmp_path / "semenit-ekspor" / "20261128-0900" / "ringkasan.csv").write_text("x")
    (tmp_path / "sub" / "deeper" / "deepest" / "c.csv").write_text("x")
    (tmp_path / "link.xls").symlink_to(tmp_path / "a.xlsx")
    os.mkfifo(tmp_path / "fifo.csv")
    names = sorted(f.name for f in scan(tmp_path))
    assert names == ["a.xlsx", "b.CSV"]
    assert scan(tmp_path / "missing") == []


def test_usb_watcher_reports_a_stick_arriving(tmp_path):
    seen = []
    watcher = UsbWatcher(tmp_path, seen.append, poll_s=0.05)
    watcher.start()
    try:
        (tmp_path / "penduduk.csv").write_text("nik\n")
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        watcher.stop()
    assert seen and seen[-1][0].name == "penduduk.csv"


def test_watchdog_datagram(tmp_path, monkeypatch):
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    try:
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        monkeypatch.setenv("WATCHDOG_USEC", "14000000")
        assert watchdog.notify("WATCHDOG=1")
        assert sock.recv(64) == b"WATCHDOG=1"
        assert watchdog.ping_interval_s() == 7.0
    finally:
        sock.close()
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert watchdog.notify("READY=1") is False
