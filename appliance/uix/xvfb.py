"""A private X display for the tour and the UI tests when there is no screen (CI, a technician's SSH)."""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager


@contextmanager
def virtual_display(width: int = 1280, height: int = 1280, force: bool = False):
    """Start `Xvfb` on a free display number (it picks one: -displayfd) unless a display is already set.

    The screen is square by default so that portrait windows (720×1280) fit too."""
    if not force and (os.environ.get("DISPLAY") or os.environ.get("SDL_VIDEODRIVER")):
        yield os.environ.get("DISPLAY")
        return
    exe = shutil.which("Xvfb")
    if exe is None:
        raise RuntimeError("Xvfb is not installed (Debian package xvfb; `make setup` installs it)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen([exe, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as fh:
            number = fh.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        before = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = f":{number}"
        try:
            yield os.environ["DISPLAY"]
        finally:
            if before is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = before
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
