"""Before the first letter after a boot with no NTP and no trusted RTC: the date, shown big, for the
operator to confirm with the operator PIN (the unit holds the rule: Unit.clock_needs_confirmation)."""

from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.dialogs.pin import OperatorPinDialog
from appliance.uix.ui_screens import KScreen


class ClockConfirmScreen(KScreen):
    screen_name = "clock_confirm"
    now_text = StringProperty("")

    def refresh(self) -> None:
        app = self.app
        now = app.unit.local_time()
        self.now_text = app.tr("office.clock.now", date=app.unit.today_text(app.lang), time=now.strftime("%H:%M"))

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
        app.unit.confirm_clock()
        app.close_dialog()
        app.start_letter()
