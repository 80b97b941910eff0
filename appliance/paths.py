"""Where Semenit keeps its data and reads its settings (DESIGN §12)."""

from __future__ import annotations

import os
from pathlib import Path

UNIT_HOME = Path("/var/lib/semenit")
UNIT_CONFIG = Path("/etc/semenit/semenit.toml")


def home() -> Path:
    """The data folder: SEMENIT_HOME, else /var/lib/semenit on a unit, else the user's data folder."""
    env = os.environ.get("SEMENIT_HOME")
    if env:
        path = Path(env)
    elif UNIT_HOME.is_dir() and os.access(UNIT_HOME, os.W_OK):
        path = UNIT_HOME
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        path = base / "semenit"
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    """The unit's settings file: SEMENIT_CONFIG, else /etc/semenit/semenit.toml."""
    return Path(os.environ.get("SEMENIT_CONFIG") or UNIT_CONFIG)


def cache_dir() -> Path:
    """The app's own cache (rebuilt at will): SEMENIT_CACHE, else `cache/` in the data folder."""
    env = os.environ.get("SEMENIT_CACHE")
    path = Path(env) if env else home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


# python-escpos pickles its printer profiles on import into ESCPOS_CAPABILITIES_PICKLE_DIR, and calls
# mkdtemp() for the default even when the variable is set: one /tmp/tmpXXXX folder per process start
# (217 after one test run). Its import is therefore run with both pointed at our cache, and the
# variable is put back afterwards so that no child process inherits a folder a test may delete.
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
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            with _own_cache_for_escpos():
                run(module)

        spec.loader.exec_module = exec_module
        return spec


class _own_cache_for_escpos:  # noqa: N801 - used as a context manager, reads as one
    def __enter__(self):
        import tempfile

        self.saved = (os.environ.get(_ESCPOS_VAR), tempfile.tempdir)
        try:
            self.cache = cache_dir() / "escpos"
            self.cache.mkdir(exist_ok=True)
        except OSError:
            self.cache = None  # a read-only data folder: escpos falls back to its own temporary folder
            return self
        self.before = set(self.cache.iterdir())
        if self.saved[0] is None:
            os.environ[_ESCPOS_VAR] = str(self.cache)
        tempfile.tempdir = str(self.cache)
        return self

    def __exit__(self, *exc):
        import tempfile

        if self.cache is None:
            return False
        tempfile.tempdir = self.saved[1]
        if self.saved[0] is None:
            os.environ.pop(_ESCPOS_VAR, None)
        for made in set(self.cache.iterdir()) - self.before:
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
