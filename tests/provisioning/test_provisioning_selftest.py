"""`semenit selftest`: the report's shape, and failing checks give a non-zero exit, in a temporary home."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

import pytest

from appliance import selftest
from appliance.cli import main as semenit

NAMES = ["settings", "store", "letters", "printers", "gpio", "display", "watchdog", "disk", "clock", "village_key",
         "crashes"]


@pytest.fixture
def unit_settings(semenit_home):
    """A unit's settings file: mock GPIO (gpiozero MockFactory), the default file printer."""
    (semenit_home / "semenit.toml").write_text('[unit]\nid = "test-01"\n\n[gpio]\npin_factory = "mock"\n')
    return semenit_home


def _run_json(capsys, *extra) -> tuple[int, dict]:
    code = semenit(["selftest", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_json_shape(unit_settings, capsys):
    code, report = _run_json(capsys)
    assert set(report) == {"ok", "failed", "warnings", "checked_at", "home", "checks"}
    assert report["home"] == str(unit_settings)
    assert [c["name"] for c in report["checks"]] == NAMES
    for check in report["checks"]:
        assert set(check) == {"name", "status", "message", "details"}
        assert check["status"] in ("ok", "warn", "fail")
        assert isinstance(check["message"], str) and check["message"]
        assert isinstance(check["details"]["seconds"], float)
    assert report["failed"] == [c["name"] for c in report["checks"] if c["status"] == "fail"]
    assert report["ok"] is (not report["failed"])
    assert code == (0 if report["ok"] else 1)
    datetime.fromisoformat(report["checked_at"])


def test_healthy_parts_pass(resident_store, unit_settings, capsys, monkeypatch, tmp_path):
    _clock_sources(unit_settings, tmp_path, synced=True)
    assert semenit(["keys", "init"]) == 0
    capsys.readouterr()
    code, report = _run_json(capsys)
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["settings"]["status"] == "ok"
    assert by_name["store"]["status"] == "ok" and by_name["store"]["details"]["residents"] == len(resident_store)
    assert by_name["letters"]["status"] == "ok" and by_name["letters"]["details"]["templates"] >= 10
    # The default printer is the "file" one: ready, but nothing reaches paper, so a warning.
    assert by_name["printers"]["status"] == "warn" and "[printers]" in by_name["printers"]["message"]
    assert by_name["printers"]["details"]["printers"][0]["status"] == "ready"
    assert by_name["gpio"]["status"] == "ok", by_name["gpio"]
    assert by_name["village_key"]["status"] == "ok"
    assert by_name["clock"]["status"] == "ok" and by_name["disk"]["status"] in ("ok", "warn")
    # This machine has no DRM card and no systemd watchdog: what is left failing is only that.
    assert set(report["failed"]) <= {"display", "watchdog"}


def test_corrupt_store_fails(resident_store, unit_settings, capsys):
    (unit_settings / resident_store.FILENAME).write_bytes(b"\x00garbage{not json")
    code, report = _run_json(capsys)
    store = next(c for c in report["checks"] if c["name"] == "store")
    assert store["status"] == "fail" and store["message"]
    assert "store" in report["failed"] and code == 1


def test_missing_key_fails_and_selftest_never_creates_it(unit_settings, capsys):
    code, report = _run_json(capsys)
    key = next(c for c in report["checks"] if c["name"] == "village_key")
    assert key["status"] == "fail" and "keys init" in key["message"]
    assert code == 1
    assert not (unit_settings / "keys").exists() or not any((unit_settings / "keys").iterdir())


def test_a_missing_part_is_a_failed_check_not_a_crash(unit_settings, monkeypatch):
    monkeypatch.setitem(sys.modules, "appliance.hardware", None)  # import now raises ImportError
    report = selftest.run(unit_settings)
    gpio = next(c for c in report["checks"] if c["name"] == "gpio")
    assert gpio["status"] == "fail" and "appliance.hardware" in gpio["message"]
    assert [c["name"] for c in report["checks"]] == NAMES


def test_broken_settings_fail(semenit_home, capsys):
    (semenit_home / "semenit.toml").write_text("[village\nnama_desa = 'x'\n")
    code, report = _run_json(capsys)
    assert next(c for c in report["checks"] if c["name"] == "settings")["status"] == "fail"
    assert code == 1


def test_a_printer_that_is_off_fails(unit_settings, capsys):
    # A real network receipt printer that nobody answers for: offline, and the self-test fails on it.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    with (unit_settings / "semenit.toml").open("a") as fh:
        fh.write(f'\n[printers.struk]\nbackend = "network"\nhost = "127.0.0.1"\nport = {port}\n'
                 'timeout_s = 0.5\n')
    code, report = _run_json(capsys)
    printers = next(c for c in report["checks"] if c["name"] == "printers")
    assert printers["status"] == "fail", printers
    assert printers["details"]["printers"] == [
        {"name": "struk", "backend": "network", "status": "offline", "detail": printers["details"]["printers"][0]["detail"]}]
    assert code == 1


def _clock_sources(unit_settings, tmp_path, synced: bool) -> None:
    """This unit's clock files in tmp_path: timesyncd's flag when `synced`, no RTC, a fixed boot id."""
    flag, boot = tmp_path / "synchronized", tmp_path / "boot_id"
    boot.write_text("boot-1\n")
    if synced:
        flag.touch()
    with (unit_settings / "semenit.toml").open("a") as fh:
        fh.write(f'\n[clock]\nsynced_flag = "{flag}"\nrtc_dir = "{tmp_path / "no-rtc"}"\nboot_id = "{boot}"\n')


def test_clock_says_what_vouches_for_the_time(unit_settings, tmp_path):
    _clock_sources(unit_settings, tmp_path, synced=False)
    at = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert selftest.check_clock(selftest.Context(home=unit_settings),
                                now=lambda: datetime(1970, 1, 1, 0, 0, 12, tzinfo=UTC)).status == "fail"
    unconfirmed = selftest.check_clock(selftest.Context(home=unit_settings), now=lambda: at)
    assert unconfirmed.status == "warn" and unconfirmed.details["confirmed_by"] is None
    assert "NTP" in unconfirmed.message and "RTC" in unconfirmed.message
    from appliance import clock

    clock.confirm(unit_settings, clock.ClockSources(tmp_path / "synchronized", tmp_path / "no-rtc",
                                                    tmp_path / "boot_id"), at)
    confirmed = selftest.check_clock(selftest.Context(home=unit_settings), now=lambda: at)
    assert confirmed.status == "ok" and confirmed.details["confirmed_by"] == "operator", confirmed
    (tmp_path / "synchronized").touch()
    synced = selftest.check_clock(selftest.Context(home=unit_settings), now=lambda: at)
    assert synced.status == "ok" and synced.details["confirmed_by"] == "ntp" and "NTP" in synced.message


def test_clock_before_the_registers_last_letter_fails(resident_store, unit_settings, tmp_path, capsys):
    _clock_sources(unit_settings, tmp_path, synced=True)
    resident = next(r for r in sorted(resident_store, key=lambda r: r.nik) if r.present and r.kk_level == 1)
    assert semenit(["keys", "init"]) == 0
    assert semenit(["letter", "issue", "SKTM", "--nik", resident.nik, "--field", "keperluan=Pengajuan beasiswa"]) == 0
    capsys.readouterr()
    issued = datetime.now(UTC)
    ok = selftest.check_clock(selftest.Context(home=unit_settings), now=lambda: issued + timedelta(days=1))
    assert ok.status == "ok" and ok.details["last_letter_day"] is not None
    behind = selftest.check_clock(selftest.Context(home=unit_settings), now=lambda: issued - timedelta(days=3))
    assert behind.status == "fail" and ok.details["last_letter_day"] in behind.message


def test_display_from_a_session_or_nothing(unit_settings, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with_x = selftest.check_display(selftest.Context(home=unit_settings, env={"DISPLAY": ":99"}, dev_root=empty,
                                                     sys_root=empty))
    assert with_x.status == "ok" and ":99" in with_x.message
    bare = selftest.check_display(selftest.Context(home=unit_settings, env={}, dev_root=empty, sys_root=empty))
    assert bare.status == "fail"


def test_display_follows_the_kernels_connector_status(unit_settings, tmp_path):
    # The layout of a Pi's /dev/dri and /sys/class/drm, as the kernel shows a DSI panel and an empty HDMI port.
    (tmp_path / "dev/dri").mkdir(parents=True)
    (tmp_path / "dev/dri/card1").write_text("")
    for connector, state in (("HDMI-A-1", "disconnected\n"), ("DSI-1", "connected\n")):
        (tmp_path / f"sys/class/drm/card1-{connector}").mkdir(parents=True)
        (tmp_path / f"sys/class/drm/card1-{connector}/status").write_text(state)
    ctx = selftest.Context(home=unit_settings, env={}, dev_root=tmp_path / "dev", sys_root=tmp_path / "sys")
    result = selftest.check_display(ctx)
    assert result.status == "ok" and "DSI-1" in result.message and "HDMI" not in result.message
    (tmp_path / "sys/class/drm/card1-DSI-1/status").write_text("disconnected\n")
    result = selftest.check_display(ctx)
    assert result.status == "fail" and result.details["connectors"] == {"HDMI-A-1": "disconnected",
                                                                         "DSI-1": "disconnected"}


def _refuse_to_open(*_args):
    raise AssertionError("the self-test claimed the pins the running kiosk holds")


def test_gpio_held_by_the_running_kiosk_reports_what_the_kiosk_got(unit_settings, monkeypatch):
    from appliance.config import Settings
    from appliance.hardware import open_hardware, probe

    # The kiosk (pid 4242 here) opened its pins through gpiozero's MockFactory and said so.
    with open_hardware(Settings.load(), on_button=lambda: None) as hw:
        probe.record_state(unit_settings, hw, pid=4242)
    monkeypatch.setattr(probe, "open_and_describe", _refuse_to_open)
    result = selftest.check_gpio(selftest.Context(home=unit_settings, kiosk_pid=4242))
    assert result.status == "ok" and result.details == {"available": True, "factory": "MockFactory",
                                                         "held_by": "semenit-ui.service"}
    assert "MockFactory" in result.message
    # A report left by an earlier kiosk process is not taken for the running one's.
    stale = selftest.check_gpio(selftest.Context(home=unit_settings, kiosk_pid=4243))
    assert stale.status == "warn" and stale.details["available"] is None


def test_gpio_the_running_kiosk_could_not_open_is_a_failure(unit_settings, monkeypatch):
    from appliance.config import Settings
    from appliance.hardware import open_hardware, probe

    (unit_settings / "semenit.toml").write_text('[gpio]\npin_factory = "none"\n')
    hw = open_hardware(Settings.load(), on_button=lambda: None)
    probe.record_state(unit_settings, hw, pid=4242)
    monkeypatch.setattr(probe, "open_and_describe", _refuse_to_open)
    result = selftest.check_gpio(selftest.Context(home=unit_settings, kiosk_pid=4242))
    assert result.status == "fail" and result.details["factory"] is None
    assert 'pin_factory = "none"' in result.details["reason"]


def test_gpio_unavailable_when_the_pins_cannot_be_opened(unit_settings, capsys):
    # lgpio is the Pi 5's pin factory; on this test machine it is not there (pyproject: aarch64 only),
    # as on a unit whose lgpio is missing: the self-test opens the pins itself and says why it could not.
    (unit_settings / "semenit.toml").write_text('[unit]\nid = "test-01"\n\n[gpio]\npin_factory = "lgpio"\n')
    code, report = _run_json(capsys)
    gpio = next(c for c in report["checks"] if c["name"] == "gpio")
    assert gpio["status"] == "fail" and gpio["details"]["available"] is False and gpio["details"]["factory"] is None
    assert "lgpio" in gpio["details"]["reason"] and code == 1
    semenit(["--lang", "en", "selftest"])
    line = next(x for x in capsys.readouterr().out.splitlines() if "(GPIO)" in x)
    assert "[FAIL]" in line and "GPIO unavailable: " in line


def test_the_crash_record_survives_in_the_data_folder_and_selftest_shows_it(unit_settings, capsys):
    from appliance import crashrecord

    code, report = _run_json(capsys)
    assert next(c for c in report["checks"] if c["name"] == "crashes")["status"] == "ok"
    # A clean stop (systemctl stop, a shutdown) is no crash.
    assert crashrecord.record(unit_settings, "semenit-ui.service", env={"SERVICE_RESULT": "success"}, log=[]) is None
    assert not crashrecord.path(unit_settings).exists()
    env = {"SERVICE_RESULT": "exit-code", "EXIT_CODE": "exited", "EXIT_STATUS": "1"}
    log = ["Traceback (most recent call last):", "ValueError: NIK 3404010101900001 not found"]
    for _ in range(crashrecord.KEEP + 3):
        crashrecord.record(unit_settings, "semenit-ui.service", env=env, log=log)
    entries = crashrecord.read(unit_settings)
    assert len(entries) == crashrecord.KEEP
    assert entries[-1]["log"][-1] == "ValueError: NIK 3404****0001 not found"
    code, report = _run_json(capsys)
    crashes = next(c for c in report["checks"] if c["name"] == "crashes")
    assert crashes["status"] == "warn" and crashes["details"]["count"] == crashrecord.KEEP
    assert "exit-code" in crashes["message"] and str(crashrecord.path(unit_settings)) in crashes["message"]


def test_the_crash_record_command_masks_the_journal_lines(unit_settings, tmp_path):
    import os
    import subprocess

    # The command systemd runs (ExecStopPost), with a journalctl that prints what the journal would.
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "journalctl").write_text("#!/bin/sh\necho 'kiosk: resident 3404010101900001 asked'\necho 'Killed'\n")
    (fake_bin / "journalctl").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}", "SEMENIT_HOME": str(unit_settings),
           "SERVICE_RESULT": "watchdog", "EXIT_CODE": "killed", "EXIT_STATUS": "ABRT"}
    proc = subprocess.run([sys.executable, "-m", "appliance.crashrecord", "semenit-ui.service"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    from appliance import crashrecord

    (entry,) = crashrecord.read(unit_settings)
    assert entry["result"] == "watchdog" and entry["exit_status"] == "ABRT"
    assert entry["log"] == ["kiosk: resident 3404****0001 asked", "Killed"]


def test_readable_report_and_out_file(unit_settings, capsys, tmp_path):
    out = tmp_path / "selftest.json"
    code = semenit(["--lang", "en", "selftest", "--out", str(out)])
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith("Semenit unit self-test")
    assert len(text) == 1 + len(NAMES) + 1
    assert any(line.lstrip().startswith("[FAIL]") and "Village signing key" in line for line in text)
    assert "check(s) failed" in text[-1] and code == 1
    saved = json.loads(out.read_text())
    assert [c["name"] for c in saved["checks"]] == NAMES and saved["ok"] is False
    semenit(["--lang", "id", "selftest"])
    assert "pemeriksaan gagal" in capsys.readouterr().out
