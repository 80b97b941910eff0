from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from appliance.uix.dialogs import KDialog


class OperatorPinDialog(KDialog):
    """The operator PIN on a keypad (dots only); checked off the UI thread against the argon2 hash."""

    shown = StringProperty("")
    error = StringProperty("")
    checking = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._pin = ""

    def key(self, key: str) -> None:
        self.error = ""
        if key == "clear":
            self._pin = ""
        elif key == "back":
            self._pin = self._pin[:-1]
        elif len(self._pin) < 12:
            self._pin += key
        self.shown = "●" * len(self._pin)

    def submit(self) -> None:
        if self.checking or not self._pin:
            return
        pin, self._pin = self._pin, ""
        self.shown = ""
        self.checking = True
        self.app.check_operator_pin(pin, self)

    def result(self, outcome) -> None:
        self.checking = False
        status, block = outcome
        app = self.app
        if status == "ok":
            app.enter_operator()
        elif status == "unset":
            self.error = app.tr("ui.operator.pin_unset")
        elif block is not None:
            self.error = app.tr("ui.locked.wait", minutes=block.minutes)
        else:
            self.error = app.tr("ui.operator.pin_wrong")

    def on_dismiss(self):
        self._pin = ""
        self.shown = ""
