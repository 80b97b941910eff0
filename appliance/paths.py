"""Where Semenit keeps its data and reads its settings (DESIGN §12)."""

from __future__ import annotations

import os
from pathlib import Path

UNIT_HOME = Path("/var/lib/semenit")
UNIT_CONFIG = Path("/etc/semenit/semenit.toml")


def _folder(variable: str, unit: Path, xdg: str, user_default: Path) -> Path:
    """`variable` if set, else `unit` where it exists and is writable, else the user's XDG folder; created."""
    env = os.environ.get(variable)
    if env:
        path = Path(env)
    elif unit.is_dir() and os.access(unit, os.W_OK):
        path = unit
    else:
        path = Path(os.environ.get(xdg) or user_default) / "semenit"
    path.mkdir(parents=True, exist_ok=True)
    return path


def home() -> Path:
    """The data folder: SEMENIT_HOME, else /var/lib/semenit on a unit, else the user's data folder."""
    return _folder("SEMENIT_HOME", UNIT_HOME, "XDG_DATA_HOME", Path.home() / ".local" / "share")


def config_file() -> Path:
    """The unit's settings file: SEMENIT_CONFIG, else /etc/semenit/semenit.toml."""
    return Path(os.environ.get("SEMENIT_CONFIG") or UNIT_CONFIG)


UNIT_CACHE = Path("/var/cache/semenit")


def cache_dir() -> Path:
    """The app's own cache, derived data rebuilt at will and kept apart from the village's data:
    SEMENIT_CACHE, else /var/cache/semenit on a unit, else the user's cache folder."""
    return _folder("SEMENIT_CACHE", UNIT_CACHE, "XDG_CACHE_HOME", Path.home() / ".cache")


# python-escpos pickles its printer profiles on import into ESCPOS_CAPABILITIES_PICKLE_DIR, and calls
# mkdtemp() for the default even when the variable is set: one /tmp/tmpXXXX folder per process start
# (217 after one test run). Its import is therefore run with both pointed at our cache. escpos writes
# the pickle in place (a process killed mid-write leaves a torn file that every later start fails to
# load), so it writes into a private folder and the finished file is renamed into the shared one;
# processes only read the shared pickle. The variable is put back afterwards, so that no child process
# inherits a folder a test may delete.
_ESCPOS_VAR = "ESCPOS_CAPABILITIES_PICKLE_DIR"


class _EscposInOwnCache:
    def find_spec(self, name, path=None, target=None):
        if name != "escpos.capabilities":
            return None
        import importlib.util
        import sys

        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module") or not spec.origin:
            return spec
        run = spec.loader.exec_module
        source = Path(spec.origin).with_name("capabilities.json")

        def exec_module(module):
            with _own_cache_for_escpos(source):
                run(module)

        spec.loader.exec_module = exec_module
        return spec


class _own_cache_for_escpos:  # noqa: N801 - used as a context manager, reads as one
    def __init__(self, source: Path):
        import platform

        self.source = Path(os.environ.get("ESCPOS_CAPABILITIES_FILE") or source)
        self.name = f"{platform.python_version()}.capabilities.pickle"

    def _fresh(self, pickle: Path) -> bool:
        try:
            if pickle.stat().st_mtime < self.source.stat().st_mtime:
                return False
            with pickle.open("rb") as fh:
                fh.seek(-1, os.SEEK_END)
                return fh.read(1) == b"."  # a whole pickle ends with STOP
        except OSError:
            return False

    def __enter__(self):
        import tempfile

        self.saved = (os.environ.get(_ESCPOS_VAR), tempfile.tempdir)
        self.private = None
        try:
            self.shared = cache_dir() / "escpos"
            self.shared.mkdir(exist_ok=True)
            if not self._fresh(self.shared / self.name):
                self.private = Path(tempfile.mkdtemp(prefix=".writing-", dir=self.shared))
        except OSError:
            self.shared = None  # a read-only data folder: escpos falls back to its own temporary folder
            return self
        self.before = set(self.shared.iterdir())
        if self.saved[0] is None:
            os.environ[_ESCPOS_VAR] = str(self.private or self.shared)
        tempfile.tempdir = str(self.shared)
        return self

    def __exit__(self, *exc):
        import shutil
        import tempfile

        if self.shared is None:
            return False
        tempfile.tempdir = self.saved[1]
        if self.saved[0] is None:
            os.environ.pop(_ESCPOS_VAR, None)
        if self.private is not None:
            written = self.private / self.name
            try:
                if written.exists():
                    os.replace(written, self.shared / self.name)
            except OSError:
                pass
            shutil.rmtree(self.private, ignore_errors=True)
        for made in set(self.shared.iterdir()) - self.before:
            if made.is_dir():
                try:
                    made.rmdir()  # the empty folder of escpos's unused mkdtemp() default
                except OSError:
                    pass
        return False


def keep_escpos_in_own_cache() -> None:
    import sys

    if not any(isinstance(f, _EscposInOwnCache) for f in sys.meta_path):
        sys.meta_path.insert(0, _EscposInOwnCache())
