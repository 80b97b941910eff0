"""What most commands need: the settings and the unit (appliance.services.unit), with clear errors.

A command opens only the areas it uses, strictly: the first one that cannot open ends the command with
its one clear line (the kiosk, instead, opens them all and shows what is missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance import paths
from appliance.cli import CliError
from appliance.config import Settings, SettingsError
from appliance.i18n import _

if TYPE_CHECKING:
    from appliance.residents.store import ResidentStore
    from appliance.services.unit import Unit


def load_settings(code: int = 1) -> Settings:
    try:
        return Settings.load()
    except SettingsError as exc:
        raise CliError(_("settings.unreadable", reason=str(exc)), code) from exc


def open_unit(*areas: str, start: bool = False, code: int = 1) -> Unit:
    """The unit with `areas` open (residents, printing, letters, queue). `start`: printer pollers and
    resumed jobs run (a job submitted without them still prints). `code`: the exit status of a failure."""
    from appliance.letters.service import LetterError
    from appliance.printing import PrintingConfigError
    from appliance.queue import QueueError
    from appliance.services.unit import Unit
    from appliance.storage.tinydb_storage import StorageCorrupt

    settings = load_settings(code)
    try:
        return Unit(settings, paths.home(), start_threads=start, areas=areas, strict=True)
    except StorageCorrupt as exc:
        raise CliError(_("store.corrupt", path=str(exc).split(":")[0]), code) from exc
    except LetterError as exc:
        raise CliError(exc.message, code) from exc
    except (PrintingConfigError, QueueError, SettingsError) as exc:
        raise CliError(str(exc), code) from exc


def open_store() -> ResidentStore:
    store = open_unit("residents").store
    assert store is not None  # strict: opened or raised
    return store
