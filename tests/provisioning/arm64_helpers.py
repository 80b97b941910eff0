"""The arm64 proof's helpers: Raspberry Pi-like Debian roots for aarch64, run here through qemu-user.

A unit is an arm64 Raspberry Pi on Raspberry Pi OS Bookworm (Debian 12, Python 3.11) or Trixie (Debian 13,
Python 3.13). What breaks there and not on x86 (wheels PyPI lacks for that Python and board, the GL library
the aarch64 Kivy wheel needs) only shows in such a root. mmdebstrap --arch=arm64 builds one with every
package of provisioning/packages.txt; the kernel runs its programs through qemu-aarch64-static (binfmt_misc,
registered here when it is not: CI has no systemd to do it).

Everything slow is made once and cached under SEMENIT_TEST_ARM64_CACHE (default /var/cache/semenit-test-arm64,
apart from the x86 root's cache so neither evicts the other), each under a hash of what shapes it: the root
tarball per Debian release, and the app's wheel folder made in that root by provisioning/make-wheels.sh
(the technician's own recipe, which builds lgpio for Python 3.13 there). No network to the Debian archive or
PyPI on a cold cache means the tests fail and say so: they never skip.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from provisioning_helpers import (
    MMDEBSTRAP_OPTIONS,
    REPO,
    Chroot,
    _lock,
    app_dependencies,
    extract_root,
    remove_root,
    unit_packages,
)

CACHE = Path(os.environ.get("SEMENIT_TEST_ARM64_CACHE", "/var/cache/semenit-test-arm64"))
MAKE_WHEELS = REPO / "provisioning" / "make-wheels.sh"
BINFMT = Path("/proc/sys/fs/binfmt_misc")
QEMU = "/usr/bin/qemu-aarch64-static"
# The ELF header of an aarch64 executable, as Debian's qemu-user-static registers it; F: the kernel opens
# the interpreter now, so it works inside a chroot that has no qemu of its own.
AARCH64_MAGIC = r"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00"
AARCH64_MASK = r"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"
ROOT_TIMEOUT = 1500
WHEELS_TIMEOUT = 1500
STALE_AFTER_S = 3 * 24 * 3600


@dataclass(frozen=True)
class Release:
    suite: str
    python: str  # the release's python3, as Raspberry Pi OS on it has
    alternative: int  # which name of a packages.txt 'a|b' line this release knows


RELEASES = {
    "trixie": Release("trixie", "3.13", 0),
    "bookworm": Release("bookworm", "3.11", -1),
}


def _aarch64_registered() -> bool:
    entry = BINFMT / "qemu-aarch64"
    try:
        text = entry.read_text()
    except OSError:
        return False
    flags = next((line.split(":", 1)[1] for line in text.splitlines() if line.startswith("flags:")), "")
    return text.startswith("enabled") and "F" in flags


def ensure_qemu_binfmt() -> None:
    """aarch64 programs run here through qemu-user-static: mount binfmt_misc and register it if needed."""
    if not Path(QEMU).exists():
        pytest.fail(f"{QEMU} is missing: `make setup` installs qemu-user-static (Makefile DEB_PACKAGES)")
    if _aarch64_registered():
        return
    if not (BINFMT / "register").exists():
        subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(BINFMT)], capture_output=True, check=False)
    if not _aarch64_registered() and shutil.which("update-binfmts"):
        subprocess.run(["update-binfmts", "--enable", "qemu-aarch64"], capture_output=True, check=False)
    if not _aarch64_registered() and (BINFMT / "register").exists():
        if (BINFMT / "qemu-aarch64").exists():  # registered without F (or disabled): replace it
            (BINFMT / "qemu-aarch64").write_text("-1")
        (BINFMT / "register").write_text(f":qemu-aarch64:M::{AARCH64_MAGIC}:{AARCH64_MASK}:{QEMU}:F")
    if not _aarch64_registered():
        pytest.fail("CANNOT RUN aarch64 PROGRAMS: qemu-aarch64 is not registered in "
                    f"{BINFMT} and registering it failed (a container without binfmt_misc?)")


def _evict_stale(pattern: str) -> None:
    """Drop cached roots or wheels of other package lists unused for STALE_AFTER_S. Not at once: another
    checkout on this machine (a branch with another package list) may be using its own right now."""
    for old in CACHE.glob(pattern):
        if time.time() - old.stat().st_mtime > STALE_AFTER_S:
            if old.is_dir():
                shutil.rmtree(old)
            else:
                old.unlink()


def root_key(release: Release) -> str:
    spec = "\n".join([release.suite, "arm64", *MMDEBSTRAP_OPTIONS, *unit_packages(release.alternative)])
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def _fail_slow_or_broken(what: str, proc: subprocess.CompletedProcess | None, timeout: float) -> None:
    if proc is None:
        pytest.fail(f"{what} TOOK OVER {timeout:.0f}s (slow network to the Debian archive or PyPI?); "
                    "the arm64 provisioning tests cannot run without it")
    pytest.fail(f"COULD NOT {what} (no network to the Debian archive or PyPI?): exit {proc.returncode}\n"
                f"{(proc.stdout or '')[-2000:]}\n{(proc.stderr or '')[-3000:]}")


def build_root(release: Release) -> Path:
    """The release's arm64 root as a tarball, built once (mmdebstrap under qemu) and cached."""
    if os.geteuid() != 0:
        pytest.fail("the provisioning tests need root (chroot, mount, binfmt_misc): run them as root, as CI does")
    if not shutil.which("mmdebstrap"):
        pytest.fail("mmdebstrap is not installed: `make setup` installs it (Makefile DEB_PACKAGES)")
    ensure_qemu_binfmt()
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / f"{release.suite}-arm64-{root_key(release)}.tar"
    with _lock(CACHE / f".{release.suite}.lock"):
        if tarball.exists():
            tarball.touch()  # in use: not stale
            return tarball
        _evict_stale(f"{release.suite}-arm64-*.tar")
        partial = tarball.with_suffix(".partial.tar")  # mmdebstrap picks the format from the name
        cmd = ["mmdebstrap", "--arch=arm64", *MMDEBSTRAP_OPTIONS,
               "--include=" + ",".join(unit_packages(release.alternative)), release.suite, str(partial)]
        started = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=ROOT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            _fail_slow_or_broken(f"BUILD THE arm64 DEBIAN {release.suite.upper()} ROOT", None, ROOT_TIMEOUT)
        if proc.returncode != 0:
            partial.unlink(missing_ok=True)
            _fail_slow_or_broken(f"BUILD THE arm64 DEBIAN {release.suite.upper()} ROOT", proc, ROOT_TIMEOUT)
        partial.rename(tarball)
        print(f"built the arm64 {release.suite} root in {time.monotonic() - started:.0f}s: {tarball}")
    return tarball


def wheels_key(release: Release) -> str:
    spec = "\n".join([root_key(release), *app_dependencies(), MAKE_WHEELS.read_text()])
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def build_wheels(release: Release, tarball: Path, scratch: Path) -> Path:
    """The app's wheel folder for the release's Python on aarch64, made by provisioning/make-wheels.sh in a
    throw-away copy of the root (it may install a compiler there), once, and cached."""
    folder = CACHE / f"wheels-{release.suite}-arm64-{wheels_key(release)}"
    with _lock(CACHE / f".{release.suite}.lock"):
        if folder.is_dir():
            folder.touch()
            return folder
        _evict_stale(f"wheels-{release.suite}-arm64-*")
        builder = extract_root(tarball, scratch / f"wheel-builder-{release.suite}")
        try:
            shutil.copy(MAKE_WHEELS, builder / "tmp" / "make-wheels.sh")
            shutil.copy(REPO / "pyproject.toml", builder / "tmp" / "pyproject.toml")
            env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"]
            ca = Path("/etc/ssl/certs/ca-certificates.crt")
            if ca.exists():  # this machine's trust store (it may add a proxy's CA), for pip
                shutil.copy(ca, builder / "tmp" / "host-ca.crt")
                env.append("PIP_CERT=/tmp/host-ca.crt")
            env += [f"{k}={v}" for k, v in os.environ.items() if k.lower() in ("http_proxy", "https_proxy", "no_proxy")]
            started = time.monotonic()
            with Chroot(builder):
                try:
                    proc = subprocess.run(
                        ["chroot", str(builder), "env", "-i", *env, "bash", "/tmp/make-wheels.sh", "/tmp/wheels",
                         "/tmp/pyproject.toml"],
                        capture_output=True, text=True, timeout=WHEELS_TIMEOUT, check=False)
                except subprocess.TimeoutExpired:
                    _fail_slow_or_broken(f"MAKE THE APP'S WHEELS FOR {release.suite} arm64", None, WHEELS_TIMEOUT)
            if proc.returncode != 0:
                _fail_slow_or_broken(f"MAKE THE APP'S WHEELS FOR {release.suite} arm64", proc, WHEELS_TIMEOUT)
            partial = CACHE / f"{folder.name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(builder / "tmp" / "wheels", partial)
            partial.rename(folder)
            print(f"made the {release.suite} arm64 wheels in {time.monotonic() - started:.0f}s: {folder}")
        finally:
            remove_root(builder)
    return folder


def unit_service(root: Path, name: str = "semenit-ui.service") -> dict:
    """The installed unit file's User=, WorkingDirectory= and Environment= (what systemd would start with)."""
    user, workdir, env = None, None, {}
    for line in (root / "etc/systemd/system" / name).read_text().splitlines():
        key, _, value = line.partition("=")
        if key == "User":
            user = value
        elif key == "WorkingDirectory":
            workdir = value
        elif key == "Environment":
            name_, _, val = value.partition("=")
            env[name_] = val
    return {"user": user, "workdir": workdir, "env": env}


def run_as_unit(c: Chroot, unit: dict, cmd: list[str], extra_env: dict | None = None,
                timeout: float = 600) -> subprocess.CompletedProcess:
    """`cmd` in the root as the unit's user, with only the unit's environment and its working directory."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": f"/home/{unit['user']}", "LANG": "C.UTF-8",
           **unit["env"], **(extra_env or {})}
    argv = ["chroot", str(c.root), "setpriv", f"--reuid={unit['user']}", f"--regid={unit['user']}", "--init-groups",
            "env", "-i", f"--chdir={unit['workdir'] or '/'}", *[f"{k}={v}" for k, v in env.items()], *cmd]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
