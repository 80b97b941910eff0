"""What most commands need: the settings, the data folder and the resident store, with clear errors."""

from __future__ import annotations

from appliance import paths
from appliance.cli import CliError
from appliance.config import Settings, SettingsError
from appliance.i18n import _


def load_settings() -> Settings:
    """The settings, checked whole: a wrong value stops the command with its key and reason."""
    from appliance.settings_check import check

    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise CliError(_("settings.unreadable", reason=str(exc))) from exc
    problems = check(settings)
    if problems:
        line = problems[0].line(settings.source)
        raise CliError(line if len(problems) == 1 else _("settings.more", line=line, more=len(problems) - 1))
    return settings


def open_store(lazy: bool = False):
    """`lazy`: for a command that looks residents up by NIK (read through the index, one row each)."""
    from appliance.residents.store import ResidentStore
    from appliance.storage.tinydb_storage import StorageCorrupt

    try:
        return ResidentStore.open(paths.home(), lazy=lazy)
    except StorageCorrupt as exc:
        raise CliError(_("store.corrupt", path=str(exc).split(":")[0])) from exc
