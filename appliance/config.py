"""The unit's settings: one TOML file, read once; each area parses its own section.

A missing file means a development machine: every section falls back to its defaults, which the
area that owns the section passes in (see `Settings.section`). A file that does not parse is an
error the technician must see, never silently replaced by defaults.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from appliance import paths
from appliance.errors import SemenitError


class SettingsError(SemenitError):
    """The settings file is unreadable or malformed: `where` (the file, or the setting) and the reason
    (a settings.reason.* key), framed as "The settings file cannot be read: <where>: <reason>."."""

    def __init__(self, where: str, key: str, **params: object):
        super().__init__(key, **params)
        self.where = where

    def text(self, lang: str | None = None) -> str:
        from appliance.i18n import get_language, translate

        lang = lang or get_language()
        reason = super().text(lang).rstrip(".")  # the frame ends the sentence itself
        return translate("settings.unreadable", lang, reason=f"{self.where}: {reason}")


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class Settings:
    def __init__(self, raw: dict[str, Any] | None = None, source: Path | None = None):
        self.raw: dict[str, Any] = raw or {}
        self.source = source

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = Path(path) if path else paths.config_file()
        if not path.exists():
            return cls({}, None)
        import tomllib

        try:
            with path.open("rb") as fh:
                return cls(tomllib.load(fh), path)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(str(path), "settings.reason.unreadable_file", error=str(exc)) from exc
        except UnicodeDecodeError as exc:  # tomllib reads UTF-8 only
            raise SettingsError(str(path), "settings.reason.not_utf8") from exc

    def section(self, name: str, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
        """The section `name`, deep-merged over the owner's `defaults`."""
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise SettingsError(f"{self.source}: [{name}]", "settings.reason.not_table")
        return _merge(defaults or {}, value)
