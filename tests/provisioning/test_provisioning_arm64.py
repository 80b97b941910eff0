"""The arm64 proof: provision.sh on Raspberry Pi-like arm64 roots (Debian 13 / Python 3.13 and Debian 12 /
Python 3.11) under qemu-user, the app installed offline from wheels made for that Python and board, then the
real kiosk started as the kiosk user with its unit's environment and working directory until it draws its
first frame (SDL's offscreen driver stands in for the display), and the self-test read line by line against
what that root really has. See arm64_helpers for the roots and the cache.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from arm64_helpers import (
    RELEASES,
    Release,
    build_root,
    build_wheels,
    ensure_qemu_binfmt,
    run_as_unit,
    unit_service,
)
from provisioning_helpers import Chroot, changed, extract_root, provision, remove_root

PY = "/opt/semenit/venv/bin/python"
DATA = "/var/lib/semenit"
# Trixie as a Pi 5 with Touch Display 2, Bookworm as a Pi 4 with the 7" display: both boards, both releases.
BOARDS = {"trixie": ("pi5", "touch2", "/dev/ttyAMA0"), "bookworm": ("pi4", "dsi7", "/dev/serial0")}
PROVISION_TIMEOUT = 1800
# The first test waits for both roots to be built, given wheels and provisioned under qemu (see README).
pytestmark = pytest.mark.timeout(3600)


@dataclass
class Unit:
    release: Release
    root: Path
    chroot: Chroot
    first: subprocess.CompletedProcess
    second: subprocess.CompletedProcess

    def unit(self, name: str = "semenit-ui.service") -> dict:
        return unit_service(self.root, name)

    def as_root(self, *cmd: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """A technician's command as root in the unit, with a bare environment (no DISPLAY from this machine)."""
        return subprocess.run(["chroot", str(self.root), "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
                               "LANG=C.UTF-8", *cmd], capture_output=True, text=True, timeout=timeout, check=False)


def _provisioned(release: Release, scratch: Path, pin_file: Path) -> Unit:
    tarball = build_root(release)
    wheels = build_wheels(release, tarball, scratch)
    root = extract_root(tarball, scratch / f"arm64-{release.suite}")
    profile, display, _port = BOARDS[release.suite]
    args = ["--profile", profile, "--display", display, "--unit-id", f"arm-{release.suite}", "--app-mode", "venv",
            "--wheels", str(wheels), "--pin-file", str(pin_file)]
    first = provision(root, *args, timeout=PROVISION_TIMEOUT)
    second = provision(root, *args, timeout=PROVISION_TIMEOUT)
    return Unit(release, root, Chroot(root), first, second)


@pytest.fixture(scope="session")
def arm64_units(scratch, pin_file):
    """Both releases built, given their wheels and provisioned side by side: qemu keeps one core busy each."""
    ensure_qemu_binfmt()
    with ThreadPoolExecutor(max_workers=len(RELEASES)) as pool:
        futures = {suite: pool.submit(_provisioned, release, scratch, pin_file) for suite, release in RELEASES.items()}
    try:
        units: dict[str, Unit | BaseException] = {}
        for suite, future in futures.items():
            # A release that could not be built fails its own tests only (arm64_unit raises it again).
            units[suite] = future.exception() or future.result()
            if isinstance(units[suite], Unit):
                units[suite].chroot.__enter__()
        yield units
    finally:
        for suite in RELEASES:
            root = scratch / f"arm64-{suite}"
            if root.exists():
                remove_root(root)


@pytest.fixture(params=sorted(RELEASES))
def arm64_unit(request, arm64_units):
    unit = arm64_units[request.param]
    if isinstance(unit, BaseException):
        raise unit
    return unit


def test_provisioned_offline_app_first_and_a_second_run_changes_nothing(arm64_unit):
    u = arm64_unit
    assert u.first.returncode == 0, u.first.stdout[-4000:] + u.first.stderr[-4000:]
    out = u.first.stdout.splitlines()
    arch = u.as_root("python3", "-c", "import platform, sys; print(platform.machine(), '%d.%d' % sys.version_info[:2])")
    assert arch.stdout.split() == ["aarch64", u.release.python], arch.stdout + arch.stderr

    def at(text: str) -> int:
        return next(i for i, line in enumerate(out) if text in line)

    # The app is in and checked before anything hands the unit to it.
    app = at("change: install the app (venv) into /opt/semenit")
    assert app < at("change: enable semenit-ui.service") and app < at("change: mask getty@tty1.service")
    assert app < at("change: firmware: ") and app < at("zz-semenit-watchdog.conf")
    assert u.second.returncode == 0 and changed(u.second) == 0, u.second.stdout + u.second.stderr


def test_lgpio_loads_from_the_venv_and_reaches_for_the_gpio_chip(arm64_unit):
    u = arm64_unit
    probe = ("import lgpio, sys\n"
             "print(lgpio.__file__)\n"
             "try:\n    lgpio.gpiochip_open(0)\nexcept lgpio.error as exc:\n    print('error', exc)\n")
    proc = run_as_unit(u.chroot, u.unit(), [PY, "-c", probe])
    assert proc.returncode == 0, proc.stderr
    where, outcome = proc.stdout.splitlines()
    assert where.startswith("/opt/semenit/venv/lib/python" + u.release.python + "/site-packages/lgpio")
    # Its C library runs (under qemu): there is no GPIO chip here, and it says so.
    assert outcome == "error 'can not open gpiochip'", outcome


def test_units_that_open_gpio_have_a_working_directory_the_kiosk_can_write(arm64_unit):
    u = arm64_unit
    kiosk_uid = int(u.as_root("id", "-u", "kiosk").stdout)
    for name in ("semenit-ui.service", "semenit-selftest.service"):
        unit = u.unit(name)
        assert unit["user"] == "kiosk"
        assert unit["workdir"] and unit["env"].get("LG_WD") == unit["workdir"], (name, unit)
        st = (u.root / unit["workdir"].lstrip("/")).stat()
        assert st.st_uid == kiosk_uid and st.st_mode & 0o200, (name, oct(st.st_mode))
    # ...and one the kiosk user really writes in, with the unit's environment.
    proc = run_as_unit(u.chroot, u.unit(), ["sh", "-c", 'touch "$LG_WD/.probe" && rm "$LG_WD/.probe" && pwd'])
    assert proc.returncode == 0 and proc.stdout.strip() == DATA, proc.stdout + proc.stderr


def test_the_settings_name_the_boards_serial_port(arm64_unit):
    _profile, _display, port = BOARDS[arm64_unit.release.suite]
    settings = (arm64_unit.root / "etc/semenit/semenit.toml").read_text()
    assert f'# port = "{port}"' in settings and "@SERIAL_PORT@" not in settings


def test_the_kiosk_draws_its_first_frame_as_the_kiosk_user(arm64_unit):
    from PIL import Image

    u = arm64_unit
    shutil.copy(Path(__file__).with_name("kiosk_first_frame.py"), u.root / "tmp" / "kiosk_first_frame.py")
    unit = u.unit()
    assert unit["env"].get("SDL_VIDEODRIVER") == "kmsdrm"  # the unit's; no DRM here, so SDL draws off screen
    frame = u.root / DATA.lstrip("/") / "first-frame.png"
    frame.unlink(missing_ok=True)
    proc = run_as_unit(u.chroot, unit, [PY, "/tmp/kiosk_first_frame.py", f"{DATA}/first-frame.png"],
                       extra_env={"SDL_VIDEODRIVER": "offscreen"}, timeout=900)
    assert proc.returncode == 0 and frame.exists(), proc.stdout[-3000:] + proc.stderr[-5000:]
    assert frame.stat().st_uid == int(u.as_root("id", "-u", "kiosk").stdout)
    with Image.open(frame) as img:
        rgb = img.convert("RGB")
        width, height = rgb.size
        colours = rgb.getcolors(maxcolors=width * height)
    # Not a blank or single-colour frame: the home screen's buttons and text are drawn.
    commonest = max(count for count, _ in colours)
    assert width >= 480 and height >= 480, rgb.size
    assert len(colours) > 20 and commonest < 0.95 * width * height, (len(colours), commonest, width * height)


# A letter drawn in the unit with the native parts it installs: reportlab's C speed-ups (rl_accel) and the QR
# from zxing-cpp (both wheels built for this board and Python), written where the test can read it back.
LETTER_PROBE = """
import dataclasses, sys
import reportlab.lib.rl_accel as accel
import zxingcpp
from appliance.letters import model
from appliance.letters.catalog import load_catalog
from appliance.render import render
letter = dataclasses.replace(model.worst_case(load_catalog().templates["PENGANTAR"]), qr=sys.argv[2])
with open(sys.argv[1], "wb") as fh:
    fh.write(render("letter", "pdf", letter, "A4"))
print(type(accel.fp_str).__name__, accel.fp_str.__module__, zxingcpp.__file__)
"""


def test_a_letter_is_drawn_with_the_boards_native_parts_and_its_qr_reads_back(arm64_unit, tmp_path):
    import zxingcpp
    from PIL import Image

    u = arm64_unit
    qr = f"https://desa.example/v#SMN1*{u.release.suite}*aarch64"
    (u.root / "tmp" / "letter_probe.py").write_text(LETTER_PROBE)
    pdf = u.root / DATA.lstrip("/") / "arm64-letter.pdf"
    pdf.unlink(missing_ok=True)
    proc = run_as_unit(u.chroot, u.unit(), [PY, "/tmp/letter_probe.py", f"{DATA}/arm64-letter.pdf", qr], timeout=600)
    assert proc.returncode == 0 and pdf.exists(), proc.stdout[-2000:] + proc.stderr[-4000:]
    kind, module, where = proc.stdout.split()
    assert (kind, module) == ("builtin_function_or_method", "_rl_accel"), proc.stdout  # the C one, not Python's
    assert where.startswith(f"/opt/semenit/venv/lib/python{u.release.python}/site-packages/zxingcpp")
    # Read back here, as a phone would read the printed page: the code holds exactly what was asked.
    shutil.copy(pdf, tmp_path / "letter.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "letter")], check=True, timeout=120)
    with Image.open(tmp_path / "letter.png") as page:
        assert [r.text for r in zxingcpp.read_barcodes(page)] == [qr]


def _selftest(u: Unit, *extra: str) -> dict:
    proc = u.as_root("/usr/local/bin/semenit", "--lang", "en", "selftest", "--json", *extra)
    assert proc.returncode in (0, 1) and proc.stdout.startswith("{"), proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_selftest_tells_the_truth_about_this_root(arm64_unit):
    u = arm64_unit
    report = _selftest(u)
    by = {c["name"]: c for c in report["checks"]}
    assert report["home"] == DATA
    assert by["settings"]["status"] == "ok" and by["settings"]["details"]["source"] == "/etc/semenit/semenit.toml"
    assert by["store"]["status"] == "warn" and by["store"]["details"]["residents"] == 0  # nothing imported yet
    assert by["letters"]["status"] == "ok" and by["letters"]["details"]["templates"] >= 10
    # The template's only printer is the folder one: nothing reaches paper until [printers] is set.
    assert by["printers"]["status"] == "warn"
    assert [p["backend"] for p in by["printers"]["details"]["printers"]] == ["file"]
    # No GPIO chip under qemu: the self-test opened the pins itself and says they cannot be used.
    assert by["gpio"]["status"] == "fail" and by["gpio"]["details"]["available"] is False
    assert by["gpio"]["details"]["factory"] is None and by["gpio"]["message"].startswith("GPIO unavailable: ")
    # This root's /dev is this machine's: a display and a watchdog only if this machine has them.
    has_drm = bool(glob.glob("/dev/dri/card*"))
    assert by["display"]["status"] == ("ok" if has_drm else "fail"), by["display"]
    assert by["watchdog"]["status"] == ("warn" if os.path.exists("/dev/watchdog") else "fail"), by["watchdog"]
    # Nothing vouches for the time in a fresh root unless timesyncd synchronised: then the operator is asked.
    synced = (u.root / "run/systemd/timesync/synchronized").exists()
    assert by["clock"]["details"]["confirmed_by"] == ("ntp" if synced else None), by["clock"]
    assert by["clock"]["status"] == ("ok" if synced else "warn") and by["disk"]["status"] in ("ok", "warn")
    assert by["village_key"]["status"] == "ok" and by["crashes"]["status"] == "ok"
    assert set(report["failed"]) == ({"gpio"} | ({"display"} if not has_drm else set())
                                     | ({"watchdog"} if by["watchdog"]["status"] == "fail" else set()))


def test_selftest_as_its_unit_names_lgpios_own_reason(arm64_unit):
    u = arm64_unit
    unit = u.unit("semenit-selftest.service")
    proc = run_as_unit(u.chroot, unit, [PY, "-m", "appliance", "--lang", "en", "selftest", "--json"],
                       extra_env={"GPIOZERO_PIN_FACTORY": "lgpio"})
    report = json.loads(proc.stdout)
    gpio = next(c for c in report["checks"] if c["name"] == "gpio")
    # gpiozero's lgpio factory looks for the Pi's revision first: this machine is no Pi, and it says so.
    assert gpio["status"] == "fail" and gpio["details"]["factory"] is None, gpio
    assert "lgpio cannot be opened: PinUnknownPi: unable to locate Pi revision" in gpio["details"]["reason"], gpio


def test_a_kiosk_crash_is_recorded_on_the_card_and_shown(arm64_unit):
    u = arm64_unit
    unit = u.unit()
    stop_post = next(line for line in (u.root / "etc/systemd/system/semenit-ui.service").read_text().splitlines()
                     if line.startswith("ExecStopPost="))
    command = stop_post.removeprefix("ExecStopPost=").removeprefix("+").split()
    # As systemd runs it after the kiosk was killed by its watchdog: as root, with the unit's environment.
    env = [f"{k}={v}" for k, v in unit["env"].items()]
    proc = u.as_root(*env, "SERVICE_RESULT=watchdog", "EXIT_CODE=killed", "EXIT_STATUS=ABRT", *command)
    assert proc.returncode == 0, proc.stderr
    record = u.root / DATA.lstrip("/") / "crash-record.json"
    assert json.loads(record.read_text())[-1]["result"] == "watchdog"
    crashes = next(c for c in _selftest(u)["checks"] if c["name"] == "crashes")
    assert crashes["status"] == "warn" and crashes["details"]["count"] == 1
    assert "watchdog" in crashes["message"] and "ABRT" in crashes["message"]

