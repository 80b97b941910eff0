"""Before the first letter after a boot with no NTP and no trusted RTC: the date, shown big, for the
operator to confirm with the operator PIN (appliance.clock holds the rule and the record)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kivy.properties import StringProperty

from appliance import clock
from appliance.letters.words import tanggal
from appliance.services import operator as op
from appliance.uix.dialogs.pin import OperatorPinDialog
from appliance.uix.ui_screens import KScreen


def must_confirm(app) -> bool:
    """Whether the letter flow waits for the operator to confirm the date (the hook in start_letter)."""
    backend = app.backend
    return clock.operator_must_confirm(backend.home, backend.settings.section("clock", clock.DEFAULTS),
                                       op.on_unit(backend.ui_conf), backend.letters.register.path,
                                       backend.village.timezone)


class ClockConfirmScreen(KScreen):
    screen_name = "clock_confirm"
    now_text = StringProperty("")

    def refresh(self) -> None:
        app = self.app
        now = datetime.now(ZoneInfo(app.backend.village.timezone))
        day = tanggal(now.date()) if app.lang == "id" else f"{now.day} {now:%B %Y}"
        self.now_text = app.tr("office.clock.now", date=day, time=now.strftime("%H:%M"))

    def ask_pin(self) -> None:
        self.app.open_dialog(ClockPinDialog())

    def clear(self) -> None:
        self.now_text = ""


class ClockPinDialog(OperatorPinDialog):
    """The operator PIN dialog (same lockout), which confirms the date instead of opening the menu."""

    def result(self, outcome) -> None:
        status, _block = outcome
        if status != "ok":
            super().result(outcome)
            return
        app = self.app
        backend = app.backend
        conf = backend.settings.section("clock", clock.DEFAULTS)
        clock.confirm(backend.home, clock.ClockSources.from_settings(conf),
                      datetime.now(ZoneInfo(backend.village.timezone)))
        app.close_dialog()
        app.start_letter()
