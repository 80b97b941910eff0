"""What most commands need: the settings and the unit (appliance.services.unit), with clear errors.

A command opens only the areas it uses, strictly: the first one that cannot open ends the command with
its one clear line (the kiosk, instead, opens them all and shows what is missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance import paths
from appliance.cli import CliError
from appliance.config import Settings, SettingsError

if TYPE_CHECKING:
    from appliance.residents.store import ResidentStore
    from appliance.services.unit import Unit


def load_settings(code: int = 1) -> Settings:
    """The settings, checked whole: a wrong value stops the command with its key and reason."""
    from appliance.settings_check import check

    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise CliError.of(exc, code) from exc
    problems = check(settings)
    if problems:
        line = problems[0].line(settings.source)
        if len(problems) == 1:
            raise CliError.lines([line], code)
        raise CliError("settings.more", code, line=line, more=len(problems) - 1)
    return settings


def open_unit(*areas: str, start: bool = False, code: int = 1) -> Unit:
    """The unit with `areas` open (residents, printing, letters, queue). `start`: printer pollers and
    resumed jobs run (a job submitted without them still prints). `code`: the exit status of a failure."""
    from appliance.errors import SemenitError
    from appliance.services.unit import Unit

    settings = load_settings(code)
    try:
        return Unit(settings, paths.home(), start_threads=start, areas=areas, strict=True)
    except SemenitError as exc:  # a damaged store, a printer table, a timezone...: its own words, our code
        raise CliError.of(exc, code) from exc


def open_store() -> ResidentStore:
    store = open_unit("residents").store
    assert store is not None  # strict: opened or raised
    return store
