"""Real USB stick images for the office tests: a file system image on a loop device, mounted by the unit's
own helper (provisioning/files/usr/local/lib/semenit/usb-stick) as root, with the folders it uses moved
into the test's tmp folder. This machine's kernel has neither vfat nor exfat, so the helper mounts them
through their FUSE drivers (fusefat, exfat-fuse), as it does on any kernel without them; fusefat cannot
chmod, so the kiosk's full export (atomic writes) is shown on exFAT, the plain file copy on both. `PathUnit` does what systemd's semenit-usb-export.path does on the unit (no
systemd here): when the kiosk's request file appears, it runs `usb-stick serve`."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HELPER = REPO / "provisioning" / "files" / "usr" / "local" / "lib" / "semenit" / "usb-stick"
TOOLS = {"vfat": "mkfs.vfat", "exfat": "mkfs.exfat", "ntfs": "mkfs.ntfs", "damaged": "mkfs.vfat"}


def make_image(path: Path, kind: str) -> Path:
    """A 32 MB stick image: vfat, exfat, ntfs, or a vfat whose boot sector is broken (damaged)."""
    tool = TOOLS[kind]
    if not shutil.which(tool):
        pytest.fail(f"{tool} is missing: `make deb` installs dosfstools, exfatprogs and ntfs-3g (Makefile DEB_PACKAGES)")
    with open(path, "wb") as fh:
        fh.truncate(32 * 1024 * 1024)
    if kind == "ntfs":
        subprocess.run(["mkfs.ntfs", "-Q", "-F", "-L", "DATA", str(path)], check=True, capture_output=True)
    elif kind == "exfat":
        subprocess.run(["mkfs.exfat", "-L", "DATA", str(path)], check=True, capture_output=True)
    else:
        subprocess.run(["mkfs.vfat", "-n", "DATA", str(path)], check=True, capture_output=True)
    if kind == "damaged":
        with open(path, "r+b") as fh:  # bytes per sector = 0: no FAT driver or probe accepts it
            fh.seek(11)
            fh.write(b"\0\0")
    return path


class Stick:
    """An image attached to a loop device (/dev/loopN), as the kernel would show a plugged-in stick."""

    def __init__(self, image: Path, env: dict[str, str]):
        if os.geteuid() != 0:
            pytest.fail("the USB stick tests need root (loop devices, mount): run them as root, as CI does")
        self.env = env
        self.device = subprocess.run(["losetup", "-f", "--show", str(image)], check=True, capture_output=True,
                                     text=True).stdout.strip()
        self.name = Path(self.device).name
        self.folder = Path(env["SEMENIT_USB_BASE"]) / self.name

    def helper(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(HELPER), *args], env=self.env, capture_output=True, text=True,
                              timeout=60, check=False)

    def mount_options(self) -> list[str] | None:
        with open("/proc/self/mounts") as fh:
            for line in fh:
                parts = line.split()
                if parts[1] == str(self.folder):
                    return parts[3].split(",")
        return None

    def close(self) -> None:
        self.helper("unmount", self.name)
        subprocess.run(["losetup", "-d", self.device], check=False)


def helper_env(tmp_path: Path) -> dict[str, str]:
    base, requests = tmp_path / "media", tmp_path / "run-semenit-usb"
    base.mkdir(exist_ok=True)
    requests.mkdir(exist_ok=True)
    return {**os.environ, "SEMENIT_USB_BASE": str(base), "SEMENIT_USB_REQUESTS": str(requests),
            "SEMENIT_USB_USER": "root"}


class PathUnit:
    """systemd's PathExists= for semenit-usb-export.path: runs `usb-stick serve` when a request appears."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.request = Path(env["SEMENIT_USB_REQUESTS"]) / "request"
        self.served: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)

    def _loop(self):
        while not self._stop.is_set():
            if self.request.exists():
                out = subprocess.run(["bash", str(HELPER), "serve"], env=self.env, capture_output=True, text=True,
                                     timeout=60, check=False)
                self.served.append(out.stdout + out.stderr)
            time.sleep(0.02)
