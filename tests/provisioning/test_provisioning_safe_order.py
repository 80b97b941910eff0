"""Provisioning cannot brick a unit: a run that fails at the app step leaves the console login on tty1, the
kiosk service off, the boot settings and the watchdog as they were, and says what failed."""

from __future__ import annotations

from provisioning_helpers import PI_CMDLINE_TXT, PI_CONFIG_TXT, Chroot, provision


def test_a_failed_app_install_leaves_the_console_and_says_why(fresh_root, pin_file, tmp_path):
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    proc = provision(fresh_root, "--profile", "pi5", "--display", "touch2", "--unit-id", "trj-09", "--app-mode",
                     "venv", "--wheels", str(empty), "--pin-file", str(pin_file))
    assert proc.returncode != 0, proc.stdout[-3000:]
    error = proc.stderr.strip().splitlines()[-1]
    assert error.startswith("provision: error: the app step failed: pip could not install the app from --wheels")
    assert "login prompt on tty1 stays" in error and "semenit-ui is not enabled" in error
    assert "changed=" not in proc.stdout
    with Chroot(fresh_root) as c:
        assert c.run("systemctl", "is-enabled", "getty@tty1.service").stdout.strip() != "masked"
        assert c.run("systemctl", "is-enabled", "semenit-ui.service").stdout.strip() == "disabled"
    # The boot partition and the watchdog are untouched, and no half-installed app is left to start.
    assert (fresh_root / "boot/firmware/cmdline.txt").read_text() == PI_CMDLINE_TXT
    assert (fresh_root / "boot/firmware/config.txt").read_text() == PI_CONFIG_TXT
    assert not (fresh_root / "etc/systemd/system.conf.d/zz-semenit-watchdog.conf").exists()
    assert not (fresh_root / "opt/semenit/venv").exists() and not (fresh_root / "opt/semenit/.installed").exists()
    # The steps before the app did their part (user, folders, unit files): the next run finishes the job.
    assert (fresh_root / "etc/systemd/system/semenit-ui.service").exists()
