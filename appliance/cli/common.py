"""What most commands need: the settings, the data folder and the resident store, with clear errors."""

from __future__ import annotations

from appliance import paths
from appliance.cli import CliError
from appliance.config import Settings, SettingsError
from appliance.i18n import _


def load_settings() -> Settings:
    try:
        return Settings.load()
    except SettingsError as exc:
        raise CliError(_("settings.unreadable", reason=str(exc))) from exc


def open_store():
    from appliance.residents.store import ResidentStore
    from appliance.storage.tinydb_storage import StorageCorrupt

    try:
        return ResidentStore.open(paths.home())
    except StorageCorrupt as exc:
        raise CliError(_("store.corrupt", path=str(exc).split(":")[0])) from exc
