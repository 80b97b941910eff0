"""provision.sh against a real Debian root: twice (second run changes nothing), checked with the target's
own tools (systemd-analyze, udevadm, sshd) inside it; and --dry-run changes no file."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from provisioning_helpers import PI_CMDLINE_TXT, PROVISION, REPO, changed, provision

FILES = REPO / "provisioning" / "files"
UNITS = sorted(p.name for p in (FILES / "etc/systemd/system").glob("*.service"))
# A template (semenit-usb@.service) is verified through an instance, as udev starts it.
VERIFY = [u.replace("@.", "@sda1.") for u in UNITS]
RULES = sorted(p.name for p in (FILES / "etc/udev/rules.d").glob("*.rules"))


def _scripts() -> list[Path]:
    found = [PROVISION]
    for path in sorted((REPO / "provisioning").rglob("*")):
        if path.is_file() and path != PROVISION and path.read_bytes()[:2] == b"#!":
            found.append(path)
    return found


def test_shellcheck_every_script():
    scripts = _scripts()
    assert len(scripts) >= 3, scripts  # provision.sh, usb-stick, letter-printer-queue
    proc = subprocess.run(["shellcheck", "--severity=style", *map(str, scripts)], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_first_run_changes_and_second_run_changes_nothing(provisioned):
    root, first, second = provisioned
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-4000:]
    assert changed(first) > 20
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-4000:]
    assert changed(second) == 0, second.stdout
    assert not [line for line in second.stdout.splitlines() if line.startswith(("change:", "would:"))]


def test_raspberry_pi_only_tools_are_skipped_with_a_message(provisioned):
    _root, first, second = provisioned
    for run in (first, second):
        assert "warning: no ~/.ssh/authorized_keys on this unit" in run.stdout
        assert "skip: raspi-config not found (not Raspberry Pi OS)" in run.stdout
        assert "skip: vcgencmd not found" in run.stdout
    assert not (provisioned[0] / "usr/bin/raspi-config").exists()


@pytest.mark.parametrize("unit", VERIFY)
def test_systemd_analyze_verify_says_nothing(chroot, unit):
    proc = chroot.run("systemd-analyze", "verify", unit)
    assert proc.returncode == 0
    assert proc.stdout == "" and proc.stderr == "", proc.stdout + proc.stderr


def test_systemd_analyze_verify_would_have_spoken(chroot, tmp_path):
    # The check above means something: the same tool in the same root reports a broken unit.
    broken = chroot.root / "etc/systemd/system/semenit-broken-probe.service"
    broken.write_text("[Service]\nTyp=notify\nExecStart=/opt/semenit/venv/bin/semenit run\n")
    try:
        proc = chroot.run("systemd-analyze", "verify", "semenit-broken-probe.service")
    finally:
        broken.unlink()
    assert "Typ" in proc.stdout + proc.stderr


def test_ui_unit_contract(provisioned):
    text = (provisioned[0] / "etc/systemd/system/semenit-ui.service").read_text()
    for line in ("Type=notify", "Restart=always", "StartLimitAction=reboot", "TTYPath=/dev/tty1", "PAMName=login",
                 "Conflicts=getty@tty1.service", "User=kiosk"):
        assert re.search(rf"^{re.escape(line)}$", text, re.M), line
    assert re.search(r"^WatchdogSec=\d+", text, re.M)
    watchdog = (provisioned[0] / "etc/systemd/system.conf.d/zz-semenit-watchdog.conf").read_text()
    assert re.search(r"^RuntimeWatchdogSec=14s$", watchdog, re.M)


def test_units_enabled_and_tty1_given_to_the_kiosk(chroot):
    for unit in ("semenit-ui.service", "semenit-selftest.service"):
        assert chroot.run("systemctl", "is-enabled", unit).stdout.strip() == "enabled", unit
    assert chroot.run("systemctl", "is-enabled", "getty@tty1.service").stdout.strip() == "masked"
    assert chroot.run("systemctl", "get-default").stdout.strip() == "multi-user.target"


def test_udevadm_verify_every_rule(chroot):
    paths = [f"/etc/udev/rules.d/{name}" for name in RULES]
    assert len(paths) >= 4
    proc = chroot.run("udevadm", "verify", "--no-summary", *paths)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "" and proc.stderr == "", proc.stdout + proc.stderr


def test_usb_stick_rule_hands_over_to_systemd_and_never_mounts():
    text = (FILES / "etc/udev/rules.d/72-semenit-usb-stick.rules").read_text()
    active = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert any('ENV{ID_FS_TYPE}=="vfat|exfat"' in line and 'SYSTEMD_WANTS}+="semenit-usb@%k.service"' in line
               for line in active)
    assert not any(word in line for line in active for word in ("RUN", "mount"))
    script = (FILES / "usr/local/lib/semenit/usb-stick").read_text()
    assert "ro,nosuid,nodev,noexec" in script


def _cat_config(chroot, name: str) -> tuple[list[str], dict[str, str]]:
    """The files systemd reads for NAME, in order, and the value that wins for each key."""
    proc = chroot.run("systemd-analyze", "cat-config", name)
    assert proc.returncode == 0, proc.stderr
    effective: dict[str, str] = {}
    order = []
    for line in proc.stdout.splitlines():
        if line.startswith("# /"):
            order.append(line[2:])
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            effective[key.strip()] = value.strip()
    return order, effective


def test_hardware_watchdog_setting_wins(chroot):
    order, effective = _cat_config(chroot, "systemd/system.conf")
    assert order[-1] == "/etc/systemd/system.conf.d/zz-semenit-watchdog.conf", order
    assert effective["RuntimeWatchdogSec"] == "14s"


def test_journald_settings_win(chroot):
    order, effective = _cat_config(chroot, "systemd/journald.conf")
    assert order[-1] == "/etc/systemd/journald.conf.d/zz-semenit.conf", order
    assert any(path.endswith("/syslog.conf") for path in order), order  # Debian's drop-in is there, and loses
    assert effective["Storage"] == "volatile"
    assert effective["ForwardToSyslog"] == "no"
    assert effective["RuntimeMaxUse"] == "48M"


def test_sshd_config_is_valid_and_key_only(chroot):
    chroot.run("mkdir", "-p", "/run/sshd")
    proc = chroot.run("/usr/sbin/sshd", "-t")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", proc.stdout + proc.stderr
    effective = chroot.run("/usr/sbin/sshd", "-T").stdout
    for line in ("permitrootlogin no", "passwordauthentication no", "kbdinteractiveauthentication no",
                 "pubkeyauthentication yes", "denyusers kiosk"):
        assert line in effective.splitlines(), line


def test_kiosk_user(chroot, provisioned):
    root = provisioned[0]
    proc = chroot.run("id", "kiosk")
    assert proc.returncode == 0
    groups = set(re.findall(r"\d+\(([^)]+)\)", proc.stdout.split("groups=", 1)[1]))
    assert {"kiosk", "video", "render", "input", "gpio", "lp", "dialout"} <= groups
    assert not groups & {"sudo", "adm", "lpadmin", "root"}
    shadow = {line.split(":")[0]: line.split(":")[1] for line in (root / "etc/shadow").read_text().splitlines()}
    assert shadow["kiosk"].startswith(("!", "*"))
    passwd = {line.split(":")[0]: line.split(":") for line in (root / "etc/passwd").read_text().splitlines()}
    assert passwd["kiosk"][6] == "/usr/sbin/nologin"
    data = os.stat(root / "var/lib/semenit")
    assert data.st_uid == int(passwd["kiosk"][2]) and stat.S_IMODE(data.st_mode) == 0o750


def test_identity_time_and_locale(chroot, provisioned):
    root = provisioned[0]
    assert (root / "etc/hostname").read_text() == "semenit-trj-01\n"
    assert re.search(r"^127\.0\.1\.1\tsemenit-trj-01$", (root / "etc/hosts").read_text(), re.M)
    assert os.readlink(root / "etc/localtime") == "/usr/share/zoneinfo/Asia/Jakarta"
    locales = chroot.run("locale", "-a").stdout.split()
    assert "id_ID.utf8" in locales and "en_US.utf8" in locales
    settings = (root / "etc/semenit/semenit.toml").read_text()
    assert 'id = "trj-01"' in settings and "[village]" in settings


def test_cups_shares_nothing(provisioned):
    root = provisioned[0]
    conf = (root / "etc/cups/cupsd.conf").read_text()
    assert re.search(r"^Browsing No$", conf, re.M) and re.search(r"^Listen localhost:631$", conf, re.M)
    assert not re.search(r"^Port ", conf, re.M)
    assert not (root / "usr/sbin/cups-browsed").exists()


def test_firmware_merged_and_cmdline_keeps_root(chroot, provisioned):
    root = provisioned[0]
    cmdline = (root / "boot/firmware/cmdline.txt").read_text()
    assert cmdline.count("\n") == 1
    assert "root=PARTUUID=4e639091-02" in cmdline.split()
    assert "consoleblank=0" in cmdline.split() and "splash" not in cmdline.split()
    config = (root / "boot/firmware/config.txt").read_text()
    assert "dtparam=watchdog=on" in config and "dtoverlay=vc4-kms-dsi-7inch" in config
    assert (root / "boot/firmware/cmdline.txt.semenit-orig").read_text() == PI_CMDLINE_TXT
    # The unit's own semenit checks what was written (cmdline whole; config.txt's stock lines are the image's).
    proc = chroot.run("/opt/semenit/venv/bin/semenit", "firmware", "check", "/boot/firmware/cmdline.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_village_key_and_operator_pin_set_in_the_unit(chroot, provisioned):
    first = provisioned[1].stdout
    assert "change: create the village key pair (semenit keys init)" in first
    assert "change: set the operator PIN (semenit operator set-pin)" in first
    # (Verifying the PIN needs PyPI's argon2-cffi: test_provisioning_venv does it; Debian's is older.)
    probe = ("from appliance.letters import signing; from appliance.services.operator import OperatorPin; "
             "home = '/var/lib/semenit'; print(signing.load_public(home) is not None, OperatorPin(home).is_set())")
    proc = chroot.run("/opt/semenit/venv/bin/python", "-c", probe, user="kiosk")
    assert proc.stdout.split() == ["True", "True"], proc.stdout + proc.stderr
    assert not list((chroot.root / "tmp").glob("semenit-pin.*"))  # the PIN file's copy is gone


def test_selftest_runs_in_the_unit(chroot):
    proc = chroot.run("/opt/semenit/venv/bin/semenit", "selftest", "--json", user="kiosk")
    report = json.loads(proc.stdout)
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["settings"]["status"] == "ok"
    assert by_name["store"]["status"] in ("ok", "warn")
    assert by_name["disk"]["status"] in ("ok", "warn")
    # A chroot has no DRM device and no running systemd: the self-test says so and exits non-zero.
    assert by_name["watchdog"]["status"] == "fail" and proc.returncode == 1


def _listing(root: Path) -> dict[str, tuple]:
    out = {}
    skip = {root / name for name in ("proc", "sys", "dev")}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in dirnames + filenames:
            path = here / name
            st = os.lstat(path)
            entry: tuple = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)
            if stat.S_ISLNK(st.st_mode):
                entry += (os.readlink(path),)
            elif stat.S_ISREG(st.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
                entry += (st.st_size, st.st_mtime_ns, digest.hexdigest())
            out[str(path.relative_to(root))] = entry
    return out


def test_dry_run_on_a_fresh_root_changes_no_file(fresh_root, pin_file):
    before = _listing(fresh_root)
    proc = provision(fresh_root, "--dry-run", "--profile", "pi5", "--display", "touch2", "--serial-printer",
                     "--unit-id", "trj-02", "--app-mode", "copy", "--pin-file", str(pin_file))
    after = _listing(fresh_root)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert changed(proc) > 20
    assert "would: create user kiosk" in proc.stdout
    assert "would: firmware:" in proc.stdout
    assert not [line for line in proc.stdout.splitlines() if line.startswith("change:")]
    diff = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert diff == [], diff[:20]
    assert str(fresh_root) not in Path("/proc/self/mounts").read_text()  # provision.sh unmounted /proc, /dev


def test_refuses_bad_options(tmp_path):
    proc = provision(tmp_path, "--profile", "pi3", "--unit-id", "x")
    assert proc.returncode != 0 and "--profile must be pi4 or pi5" in proc.stderr
    proc = provision(tmp_path, "--unit-id", "bad id!")
    assert proc.returncode != 0 and "--unit-id" in proc.stderr


def test_usb_stick_service_refuses_what_is_not_a_vfat_or_exfat_stick(chroot):
    # This machine's kernel has no vfat, so the mount itself is for the unit; here: a real block device
    # with no FAT file system on it is refused and nothing is mounted, and a bad name is refused.
    image = chroot.root / "tmp/blank-stick.img"
    image.write_bytes(b"\0" * (4 << 20))
    loop = subprocess.run(["losetup", "--find", "--show", str(image)], capture_output=True, text=True, check=True)
    device = loop.stdout.strip()
    try:
        name = Path(device).name
        proc = chroot.run("/usr/local/lib/semenit/usb-stick", "mount", name)
        # Not mounted, and a notice for the operator; the service stays up so unplugging removes it.
        assert proc.returncode == 0 and "not vfat/exfat: not mounted" in proc.stderr, proc.stdout + proc.stderr
        assert (chroot.root / "media/semenit" / f".refused-{name}").read_text().split()[0] == "damaged"
        assert not (chroot.root / "media/semenit" / name).exists()
        assert str(chroot.root / "media") not in Path("/proc/self/mounts").read_text()
        bad = chroot.run("/usr/local/lib/semenit/usb-stick", "mount", "../etc")
        assert bad.returncode == 2 and "bad device name" in bad.stderr
        released = chroot.run("/usr/local/lib/semenit/usb-stick", "unmount", name)
        assert released.returncode == 0, released.stderr
    finally:
        subprocess.run(["losetup", "--detach", device], check=False)
        image.unlink()


def test_run_on_the_unit_itself_changes_nothing_more(chroot, provisioned):
    # The technician's way: the script run on the unit (root = /), here inside the provisioned root with a
    # copy of the checkout, after the two --root runs: the same state, so nothing to change.
    checkout = chroot.root / "tmp" / "checkout"
    for part in ("provisioning", "appliance", "letters", "firmware_config", "pyproject.toml"):
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, checkout / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(src, checkout / part)
    try:
        proc = chroot.run("bash", "/tmp/checkout/provisioning/provision.sh", "--profile", "pi4", "--display", "dsi7",
                          "--app-mode", "copy", timeout=120)
    finally:
        shutil.rmtree(checkout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "provision: root=/ " in proc.stdout and "unit=trj-01" in proc.stdout  # the id kept from the settings
    assert changed(proc) == 0, proc.stdout
    assert "skip: vcgencmd not found" in proc.stdout
