"""What provision.sh's step_office (provisioning/office.sh) leaves in a real Debian root, checked with the
root's own tools: NTP and the saved clock (systemd-timesyncd), the bounded wait for NTP at boot, the RTC
module's firmware line, the USB export's units and request folder, and a CUPS queue for an Epson ink-tank
printer made by semenit-cups-queue with the root's own cupsd, unit cupsd.conf and Debian driver."""

from __future__ import annotations

import re
import subprocess
import time

from provisioning_helpers import REPO

from tests.cupsd import stop_daemon

# What an Epson L3110 on USB tells CUPS (IEEE 1284 device ID).
L3110_ID = "MFG:EPSON;CMD:ESCPL2,BDC,D4,D4PX,ESCPR7,END4,GENEP,URF;MDL:L3110 Series;CLS:PRINTER;DES:EPSON L3110 Series;"


def test_ntp_wait_and_usb_export_units_are_enabled(chroot, provisioned):
    for unit in ("systemd-timesyncd.service", "systemd-time-wait-sync.service", "semenit-usb-export.path"):
        assert chroot.run("systemctl", "is-enabled", unit).stdout.strip() == "enabled", unit
    for run in provisioned[1:]:
        assert "skip: systemd-timesyncd" not in run.stdout


def test_timesyncd_settings_win_and_the_boot_waits_for_ntp_at_most_45_s(chroot):
    proc = chroot.run("systemd-analyze", "cat-config", "systemd/timesyncd.conf")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "# /etc/systemd/timesyncd.conf.d/zz-semenit.conf" in text
    last = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            last[key.strip()] = value.strip()
    assert "id.pool.ntp.org" in last["NTP"]
    assert last["SaveIntervalSec"] == "60"
    unit = chroot.run("systemd-analyze", "cat-config", "systemd/system/systemd-time-wait-sync.service").stdout
    assert "/etc/systemd/system/systemd-time-wait-sync.service.d/zz-semenit.conf" in unit
    assert re.findall(r"^TimeoutStartSec=(\S+)$", unit, re.M)[-1] == "45s"
    selftest = chroot.run("systemd-analyze", "cat-config", "systemd/system/semenit-selftest.service").stdout
    assert re.search(r"^After=.*time-sync\.target", selftest, re.M)  # now something reaches it
    wait_sync = chroot.run("systemd-analyze", "cat-config", "systemd/system/systemd-time-wait-sync.service").stdout
    assert re.search(r"^Before=.*time-sync\.target", wait_sync, re.M)


def test_export_units_verify_and_the_request_folder_is_made_for_the_kiosk(chroot):
    for unit in ("semenit-usb-export.path", "semenit-usb-export.service"):
        proc = chroot.run("systemd-analyze", "verify", unit)
        assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", unit + proc.stdout + proc.stderr
    made = chroot.run("systemd-tmpfiles", "--create", "/etc/tmpfiles.d/semenit-usb.conf")
    assert made.returncode == 0, made.stderr
    folder = chroot.root / "run/semenit-usb"
    st = folder.stat()
    kiosk_gid = int(chroot.run("id", "-g", "kiosk").stdout)
    assert oct(st.st_mode & 0o7777) == "0o770" and st.st_uid == 0 and st.st_gid == kiosk_gid


def test_pi4_firmware_has_the_rtc_module_line(provisioned):
    config = (provisioned[0] / "boot/firmware/config.txt").read_text()
    assert re.search(r"^dtoverlay=i2c-rtc,ds3231$", config, re.M)


def test_the_app_in_the_root_asks_the_operator_until_ntp_synchronised(chroot):
    probe = ("from pathlib import Path; from appliance import clock; "
             "print(clock.operator_must_confirm(Path('/var/lib/semenit'), clock.DEFAULTS, True, "
             "Path('/var/lib/semenit/letters/register.jsonl'), 'Asia/Jakarta'))")
    asked = chroot.run("/opt/semenit/venv/bin/python", "-c", probe, user="kiosk")
    assert asked.stdout.strip() == "True", asked.stderr
    flag = chroot.root / "run/systemd/timesync/synchronized"
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.touch()  # what systemd-timesyncd writes at its first synchronisation
    try:
        synced = chroot.run("/opt/semenit/venv/bin/python", "-c", probe, user="kiosk")
        assert synced.stdout.strip() == "False", synced.stderr
    finally:
        flag.unlink()


def test_epson_ink_tank_queue_with_the_roots_cupsd_and_driver(chroot):
    # The unit's own cupsd.conf, listening on a socket of its own (the machine's CUPS has port 631); beside
    # it in /etc/cups, since cupsd takes its ServerRoot from where its configuration is.
    conf = (chroot.root / "etc/cups/cupsd.conf").read_text()
    conf = re.sub(r"^Listen .*$", "", conf, flags=re.M) + "Listen /run/cups/office-test.sock\n"
    (chroot.root / "run/cups").mkdir(parents=True, exist_ok=True)
    test_conf = chroot.root / "etc/cups/office-test-cupsd.conf"
    test_conf.write_text(conf)
    daemon = subprocess.Popen(["chroot", str(chroot.root), "cupsd", "-f", "-c", "/etc/cups/office-test-cupsd.conf"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    env = ("env", "CUPS_SERVER=/run/cups/office-test.sock", "LC_ALL=C")
    try:
        deadline = time.monotonic() + 30
        while "scheduler is running" not in chroot.run(*env, "lpstat", "-r").stdout:
            assert daemon.poll() is None and time.monotonic() < deadline, "the root's cupsd did not start"
            time.sleep(0.1)
        made = chroot.run(*env, "/usr/local/sbin/semenit-cups-queue", "--uri", "socket://127.0.0.1:9",
                          "--device-id", L3110_ID, timeout=180)
        assert made.returncode == 0, made.stdout + made.stderr
        assert "queue: semenit-letter" in made.stdout
        assert re.search(r"driver: EPSON L3110 Series .*ESC/P-R.*\(escpr:0/.*Epson-L3110_Series-epson-escpr", made.stdout)
        options = chroot.run(*env, "lpoptions", "-p", "semenit-letter", "-l").stdout
        sizes = next(line for line in options.splitlines() if line.startswith("PageSize")).split()
        assert "*F4" in sizes and "A4" in sizes
        ppd = (chroot.root / "etc/cups/ppd/semenit-letter.ppd").read_text(errors="replace")
        assert '*PaperDimension F4/F4 215x330mm: "609.45 935.43"' in ppd
        shared = chroot.run(*env, "lpoptions", "-p", "semenit-letter").stdout
        assert "printer-is-shared=false" in shared
    finally:
        stop_daemon(daemon)
        test_conf.unlink()


def test_shellcheck_the_sourced_office_step():
    # provision.sh sources office.sh (no #!, so the shellcheck of every script does not see it).
    office = REPO / "provisioning" / "office.sh"
    proc = subprocess.run(["shellcheck", "--severity=style", str(office)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
