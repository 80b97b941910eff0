"""The firmware checker (accepts ours, refuses broken files) and the idempotent merge into a boot partition."""

from __future__ import annotations

import subprocess
import sys

import pytest
from provisioning_helpers import PI_CMDLINE_TXT, PI_CONFIG_TXT, REPO

from appliance import firmware
from appliance.cli import main as semenit

CONFIG_DIR = REPO / "firmware_config"
OURS = sorted((CONFIG_DIR / "config").glob("*.txt"))


@pytest.fixture
def boot(tmp_path):
    folder = tmp_path / "firmware"
    folder.mkdir()
    (folder / "config.txt").write_text(PI_CONFIG_TXT)
    (folder / "cmdline.txt").write_text(PI_CMDLINE_TXT)
    return folder


def test_checker_accepts_our_fragments_and_the_stock_image(tmp_path, capsys):
    assert len(OURS) >= 8
    stock = tmp_path / "config.txt"
    stock.write_text(PI_CONFIG_TXT)
    cmdline = tmp_path / "cmdline.txt"
    cmdline.write_text(PI_CMDLINE_TXT)
    assert semenit(["firmware", "check", *map(str, OURS), str(stock), str(cmdline)]) == 0
    assert capsys.readouterr().err == ""


BROKEN_CONFIG = {
    "unknown key": ("dtparam=watchdog=on\nenable_uartt=1\n", "enable_uartt"),
    "unknown overlay": ("dtoverlay=vc4-kms-dsi-7inchh\n", "vc4-kms-dsi-7inchh"),
    "unknown overlay parameter": ("dtoverlay=vc4-kms-dsi-7inch,rotate=90\n", "rotate"),
    "unknown dtparam": ("dtparam=watchdogg=on\n", "watchdogg"),
    "dtparam for another overlay": ("dtoverlay=disable-bt\ndtparam=sizex=800\n", "sizex"),
    "dtoverlay line over 98 characters": (
        "dtoverlay=vc4-kms-dsi-7inch," + ",".join(["sizex=800", "sizey=480", "invx", "invy", "swapxy"] * 3) + "\n",
        "98"),
    "dtparam line over 98 characters": ("dtparam=" + ",".join(["watchdog=on"] * 9) + "\n", "98"),
    "not name=value": ("disable_splash\n", "disable_splash"),
    "bad gpio": ("gpio=17=pullup\n", "17=pullup"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CONFIG))
def test_checker_refuses_broken_config(tmp_path, capsys, case):
    text, named = BROKEN_CONFIG[case]
    path = tmp_path / "config.txt"
    path.write_text(text)
    assert semenit(["--lang", "en", "firmware", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:" in err and named in err, err


def test_space_separated_settings_are_accepted():
    known = firmware.Known.load(CONFIG_DIR)
    text = "include semenit-extra.txt\ninitramfs initrd.img followkernel\n[pi5]\nusb_max_current_enable=1 # PSU\n"
    assert firmware.check_config(text, known) == []


def test_the_limit_is_98_characters():
    known = firmware.Known.load(CONFIG_DIR)
    head = "dtoverlay=vc4-kms-dsi-7inch,sizex=800,sizey=480,invx,invy,swapxy,disable_touch,sizex="
    exact = head + "8" * (98 - len(head))
    assert len(exact) == 98 and firmware.check_config(exact + "\n", known) == []
    assert len(exact + "0") == 99 and firmware.check_config(exact + "0\n", known)


@pytest.mark.parametrize("text,named", [
    ("console=tty1 root=PARTUUID=1-02 rootwait\nquiet\n", "one line"),
    ("console=tty1 rootwait quiet\n", "root="),
    ("", "one line"),
])
def test_checker_refuses_broken_cmdline(tmp_path, capsys, text, named):
    path = tmp_path / "cmdline.txt"
    path.write_text(text)
    assert semenit(["--lang", "en", "firmware", "check", str(path)]) == 1
    assert named in capsys.readouterr().err


def test_merge_is_idempotent_and_keeps_root(boot):
    changes = firmware.apply(boot, "pi5", "touch2", serial_printer=True, config_dir=CONFIG_DIR)
    assert {c.path.name for c in changes} == {"config.txt", "cmdline.txt"}
    config = (boot / "config.txt").read_text()
    cmdline = (boot / "cmdline.txt").read_text()
    assert firmware.apply(boot, "pi5", "touch2", serial_printer=True, config_dir=CONFIG_DIR) == []
    assert (boot / "config.txt").read_text() == config and (boot / "cmdline.txt").read_text() == cmdline

    tokens = cmdline.split()
    assert cmdline.endswith("\n") and cmdline.count("\n") == 1
    assert "root=PARTUUID=4e639091-02" in tokens and "rootwait" in tokens
    assert "console=tty1" in tokens and not [t for t in tokens if t.startswith("console=serial0")]
    assert {"consoleblank=0", "vt.global_cursor_default=0", "logo.nologo"} <= set(tokens)
    assert "splash" not in tokens and len(tokens) == len(set(tokens))

    # Our block is last and starts with [all]; the stock kms overlay line is disabled, not loaded twice.
    assert config.rstrip().endswith(firmware.END)
    block = config[config.index(firmware.BEGIN):]
    assert block.splitlines()[1] == "[all]"
    for line in ("dtparam=watchdog=on", "dtparam=uart0=on", "dtoverlay=vc4-kms-dsi-ili9881-7inch,rotation=90",
                 "gpio=17=ip,pu", "disable_splash=1"):
        assert line in block.splitlines(), line
    active = [line for line in config.splitlines() if line.startswith("dtoverlay=vc4-kms-v3d")]
    assert active == ["dtoverlay=vc4-kms-v3d"]
    assert firmware.DISABLED + "display_auto_detect=1" in config
    assert "dtoverlay=dwc2,dr_mode=host" in config.splitlines()  # the [cm4] line is not ours: kept
    known = firmware.Known.load(CONFIG_DIR)
    assert firmware.check_config(config, known) == [] and firmware.check_cmdline(cmdline) == []
    assert (boot / "config.txt.semenit-orig").read_text() == PI_CONFIG_TXT


def test_changing_the_display_replaces_our_block(boot):
    firmware.apply(boot, "pi4", "dsi7", config_dir=CONFIG_DIR)
    changes = firmware.apply(boot, "pi4", "hdmi", config_dir=CONFIG_DIR)
    assert [c.path.name for c in changes] == ["config.txt"]
    config = (boot / "config.txt").read_text()
    assert config.count(firmware.BEGIN) == 1
    assert "hdmi_force_hotplug=1" in config and "dtoverlay=vc4-kms-dsi-7inch" not in config


def test_dry_run_writes_nothing(boot):
    before = {p.name: p.read_bytes() for p in boot.iterdir()}
    changes = firmware.apply(boot, "pi4", "hdmi", dry_run=True, config_dir=CONFIG_DIR)
    assert len(changes) == 2
    assert {p.name: p.read_bytes() for p in boot.iterdir()} == before


def test_merge_refuses_a_cmdline_without_root(boot):
    (boot / "cmdline.txt").write_text("console=tty1 rootwait\n")
    with pytest.raises(ValueError, match="root="):
        firmware.apply(boot, "pi4", "hdmi", config_dir=CONFIG_DIR)
    assert (boot / "cmdline.txt").read_text() == "console=tty1 rootwait\n"


def test_standard_library_entry_point_used_by_provision_sh(boot):
    # provision.sh runs this with the system's python3 before the app's venv exists.
    cmd = [sys.executable, "-S", "-m", "appliance.firmware", "apply", "--boot", str(boot), "--profile", "pi4",
           "--display", "dsi7", "--config-dir", str(CONFIG_DIR)]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO)}, check=False)
    assert first.returncode == 0, first.stderr
    assert sorted(line for line in first.stdout.splitlines() if line.startswith("changed ")) == [
        f"changed {boot / 'cmdline.txt'}", f"changed {boot / 'config.txt'}"]
    second = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env={"PYTHONPATH": str(REPO)}, check=False)
    assert second.returncode == 0 and "changed " not in second.stdout
