"""Helpers of the provisioning tests: a real Debian root built once with mmdebstrap, cached, extracted per test.

The root is Debian 13 (trixie, the base of Raspberry Pi OS Trixie) for the target's own tools: systemd 257
(`systemd-analyze verify`), udev with `udevadm verify` (systemd >= 254), OpenSSH's `sshd -t`. It holds
every package in provisioning/packages.txt, so provision.sh finds them installed and the tests stay
offline after the build, plus Debian's Python packages that stand in for PyPI's in `--app-mode copy`.

The tarball is cached in /var/cache/semenit-test-root under a hash of everything that shapes it, so a
second run on the same machine reuses it; a fresh machine builds it (about a minute). No network to the
Debian archive means the test fails and says so: it never skips.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROVISION = REPO / "provisioning" / "provision.sh"
PACKAGES = REPO / "provisioning" / "packages.txt"
CACHE = Path(os.environ.get("SEMENIT_TEST_ROOT_CACHE", "/var/cache/semenit-test-root"))
SUITE = "trixie"
BUILD_TIMEOUT = 420
# Debian's builds of the app's Python dependencies, for `--app-mode copy` in the test root only (the unit
# installs PyPI's into its venv): enough for `semenit keys init`, `operator set-pin` and `selftest`.
TEST_EXTRAS = [
    "python3-cryptography", "python3-argon2", "python3-orjson", "python3-tinydb", "python3-num2words",
    "python3-reportlab", "python3-serial",
]
MMDEBSTRAP_OPTIONS = [
    "--variant=minbase",
    "--aptopt=Acquire::Retries \"3\"",
    "--dpkgopt=path-exclude=/usr/share/man/*",
    "--dpkgopt=path-exclude=/usr/share/doc/*",
    "--dpkgopt=path-exclude=/usr/share/locale/*",
    "--dpkgopt=path-include=/usr/share/locale/locale.alias",
]
# A Raspberry Pi OS boot partition as the image ships it (trimmed), for the firmware merge.
PI_CONFIG_TXT = """\
# For more options and information see
# http://rptl.io/configtxt
dtparam=audio=on
camera_auto_detect=1
display_auto_detect=1
auto_initramfs=1
dtoverlay=vc4-kms-v3d
max_framebuffers=2
disable_fw_kms_setup=1
arm_64bit=1
disable_overscan=1
arm_boost=1

[cm4]
dtoverlay=dwc2,dr_mode=host

[all]
"""
PI_CMDLINE_TXT = (
    "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes "
    "rootwait quiet splash plymouth.ignore-serial-consoles cfg80211.ieee80211_regdom=ID\n"
)


def unit_packages(alternative: int = 0) -> list[str]:
    """packages.txt with each 'a|b' line resolved to one name: the first (Debian 13's), or with -1 the last
    (Debian 12's: the line lists the newest name first)."""
    names = []
    for line in PACKAGES.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line.split("|")[alternative])
    return names


def root_key() -> str:
    spec = "\n".join([SUITE, *MMDEBSTRAP_OPTIONS, *unit_packages(), *TEST_EXTRAS])
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


@contextmanager
def _lock(path: Path):
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_root_tarball() -> Path:
    if os.geteuid() != 0:
        pytest.fail("the provisioning tests need root (chroot, mount): run them as root, as CI does")
    if not shutil.which("mmdebstrap"):
        pytest.fail("mmdebstrap is not installed: `make setup` installs it (Makefile DEB_PACKAGES)")
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / f"{SUITE}-{root_key()}.tar"
    with _lock(CACHE / ".lock"):
        if tarball.exists():
            return tarball
        for old in CACHE.glob(f"{SUITE}-*.tar"):  # another package list's root: no longer used
            old.unlink()
        partial = tarball.with_suffix(".partial.tar")
        cmd = ["mmdebstrap", *MMDEBSTRAP_OPTIONS, "--include=" + ",".join(unit_packages() + TEST_EXTRAS),
               SUITE, str(partial)]
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            pytest.fail(f"BUILDING THE DEBIAN TEST ROOT TOOK OVER {BUILD_TIMEOUT}s (slow network to the "
                        "Debian archive?); the provisioning tests cannot run without it")
        if proc.returncode != 0:
            partial.unlink(missing_ok=True)
            pytest.fail("COULD NOT BUILD THE DEBIAN TEST ROOT with mmdebstrap (no network to the Debian "
                        f"archive?): exit {proc.returncode}\n{proc.stderr[-3000:]}")
        partial.rename(tarball)
        print(f"built the Debian test root in {time.monotonic() - started:.0f}s: {tarball}")
    return tarball


def _mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve()).rstrip("/") + "/"
    with open("/proc/self/mounts") as fh:
        points = [line.split()[1].replace("\\040", " ") for line in fh]
    return sorted((p for p in points if p.startswith(prefix)), key=len, reverse=True)


def remove_root(root: Path) -> None:
    """Delete an extracted root, never through a mount point (a bound /dev is the host's)."""
    for point in _mounts_under(root):
        subprocess.run(["umount", "--lazy", point], check=False)
    if _mounts_under(root):
        raise RuntimeError(f"{root} still has mounts; not deleting it")
    subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=True)


def extract_root(tarball: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    subprocess.run(["tar", "-C", str(dest), "--numeric-owner", "-xpf", str(tarball)], check=True)
    boot = dest / "boot" / "firmware"
    boot.mkdir(parents=True, exist_ok=True)
    (boot / "config.txt").write_text(PI_CONFIG_TXT)
    (boot / "cmdline.txt").write_text(PI_CMDLINE_TXT)
    return dest


def provision(root: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    cmd = ["bash", str(PROVISION), "--root", str(root), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=clean_env(), check=False)


def changed(proc: subprocess.CompletedProcess) -> int:
    lines = [line for line in proc.stdout.splitlines() if line.startswith("changed=")]
    assert lines, f"no changed=N line:\n{proc.stdout}\n{proc.stderr}"
    return int(lines[-1].split("=", 1)[1])


class Chroot:
    """Run the target's own tools inside a provisioned root (with /proc, /dev and a fresh /run)."""

    def __init__(self, root: Path):
        self.root = root
        self.mounted: list[Path] = []

    def __enter__(self):
        for kind, where in (("proc", "proc"), ("bind", "dev"), ("tmpfs", "run")):
            target = self.root / where
            if kind == "proc":
                subprocess.run(["mount", "-t", "proc", "proc", str(target)], check=True)
            elif kind == "bind":
                subprocess.run(["mount", "--bind", "/dev", str(target)], check=True)
            else:
                subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(target)], check=True)
            self.mounted.append(target)
        return self

    def __exit__(self, *exc):
        for target in reversed(self.mounted):
            subprocess.run(["umount", "--lazy", str(target)], check=False)

    def run(self, *cmd: str, user: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        if user:
            cmd = ("setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "env", f"HOME=/home/{user}",
                   "SEMENIT_HOME=/var/lib/semenit", "SEMENIT_CONFIG=/etc/semenit/semenit.toml", *cmd)
        return subprocess.run(["chroot", str(self.root), *cmd], capture_output=True, text=True, timeout=timeout,
                              check=False)




def app_dependencies() -> list[str]:
    import tomllib

    with (REPO / "pyproject.toml").open("rb") as fh:
        return list(tomllib.load(fh)["project"]["dependencies"])


def clean_env() -> dict[str, str]:
    """This machine's environment without pip settings (a technician's shell has none)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}


def build_wheel_folder(root: Path) -> Path:
    """The app's dependencies as wheels for the root's Python, made once by the root's own pip and cached.

    provision.sh --wheels installs from such a folder offline (a unit without network at the village).
    """
    key = hashlib.sha256("\n".join([root_key(), *app_dependencies()]).encode()).hexdigest()[:16]
    folder = CACHE / f"wheels-{key}"
    with _lock(CACHE / ".lock"):
        if folder.is_dir():
            return folder
        for old in CACHE.glob("wheels-*"):
            shutil.rmtree(old)
        inside = root / "tmp" / "wheels"
        ca = Path("/etc/ssl/certs/ca-certificates.crt")
        cert = []
        if ca.exists():  # this machine's trust store (it may add a proxy's CA); pip's own otherwise
            shutil.copy(ca, root / "tmp" / "host-ca.crt")
            cert = ["--cert", "/tmp/host-ca.crt"]
        with Chroot(root) as c:
            made = c.run("python3", "-m", "venv", "/tmp/wheel-builder")
            assert made.returncode == 0, made.stderr
            proc = subprocess.run(
                ["chroot", str(root), "env", "-i", "PATH=/usr/bin:/bin", "HOME=/root", "/tmp/wheel-builder/bin/pip",
                 "wheel", "-q", "--disable-pip-version-check", *cert, "-w", "/tmp/wheels", "setuptools",
                 *app_dependencies()],
                capture_output=True, text=True, timeout=300, check=False)
        if proc.returncode != 0:
            pytest.fail(f"COULD NOT FETCH THE APP'S WHEELS FROM PyPI for the test root: {proc.stderr[-3000:]}")
        partial = CACHE / f"wheels-{key}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.move(str(inside), partial)
        partial.rename(folder)
        shutil.rmtree(root / "tmp" / "wheel-builder")
        (root / "tmp" / "host-ca.crt").unlink(missing_ok=True)
    return folder
