"""Message catalogs: every string a person reads comes from here, in Bahasa Indonesia or English.

Catalogs are TOML files in `catalogs/`, one per area of the appliance. Each message is a table
holding one entry per language, so a translation cannot drift away from its original:

    [import.row.nik.length]
    id = "NIK harus 16 angka, tertulis {digits} angka."
    en = "A NIK must have 16 digits; this one has {digits}."

`_("import.row.nik.length", digits=15)` returns the text in the current language.
"""

from __future__ import annotations

import threading
from pathlib import Path

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
CATALOG_DIR = Path(__file__).with_name("catalogs")

_state = threading.local()
_default = {"lang": DEFAULT_LANGUAGE}
_catalog: dict[str, dict[str, str]] | None = None
_lock = threading.Lock()


def _flatten(table: dict, prefix: str, out: dict[str, dict[str, str]], source: Path) -> None:
    if any(lang in table and isinstance(table[lang], str) for lang in LANGUAGES):
        out[prefix] = {lang: table[lang] for lang in LANGUAGES if isinstance(table.get(lang), str)}
        return
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}.{key}" if prefix else key, out, source)


def load_catalog(directory: Path = CATALOG_DIR) -> dict[str, dict[str, str]]:
    import tomllib  # only when the cached catalog is missing or stale

    out: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(tomllib.load(fh), "", out, path)
    return out


def _cached_catalog() -> dict[str, dict[str, str]]:
    """The catalogs, parsed once per change of their files (storage.derived_cache): a cold command
    otherwise parses every TOML catalog (tens of ms) to print one sentence."""
    from appliance.storage.derived_cache import cached, files_key

    return cached("i18n-catalog", files_key(sorted(CATALOG_DIR.glob("*.toml"))), load_catalog)


def catalog() -> dict[str, dict[str, str]]:
    global _catalog
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = _cached_catalog() if CATALOG_DIR.is_dir() else load_catalog()
    return _catalog


def set_language(lang: str) -> None:
    """Set the language for this process (the kiosk's language switch, the CLI's --lang)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _default["lang"] = lang
    _state.lang = lang


def get_language() -> str:
    return getattr(_state, "lang", None) or _default["lang"]


def translate(key: str, lang: str, **params) -> str:
    entry = catalog().get(key)
    if entry is None:
        text = key  # a missing key shows itself; tests/test_i18n.py keeps the catalogs complete
    else:
        text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def _(key: str, **params) -> str:
    return translate(key, get_language(), **params)
