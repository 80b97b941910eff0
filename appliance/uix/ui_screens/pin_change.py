"""The resident changes their own PIN with the old one: NIK, old PIN, new PIN twice, on one keypad.

Reached from the home screen ("Ganti PIN"). What was typed lives only in this screen's private fields, is
shown masked (the NIK grouped, as on the NIK step) and is forgotten on "Batal", on the idle wipe and as
soon as it has been sent; the check and its lockout live in `Unit.change_resident_pin`.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from appliance.services.errors import user_message
from appliance.uix.ui_screens import KScreen
from appliance.uix.ui_screens.nik import NIK_LEN, grouped
from appliance.uix.ui_screens.verify import PIN_MAX

STAGES = ("nik", "old", "new", "again")
PIN_MIN = 4
PROMPTS = {"nik": "identity.pin.nik", "old": "identity.pin.old", "new": "identity.pin.new",
           "again": "identity.pin.again"}


class PinChangeScreen(KScreen):
    screen_name = "pin_change"
    stage = StringProperty("nik")  # what the keypad types now; "done" once changed
    shown = StringProperty("")
    prompt = StringProperty("")
    error = StringProperty("")
    message = StringProperty("")
    checking = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._typed = dict.fromkeys(STAGES, "")

    def refresh(self) -> None:
        self._show()

    def spoken(self) -> str:
        return self.prompt

    def ready(self) -> bool:
        typed = self._typed.get(self.stage, "")
        return len(typed) == NIK_LEN if self.stage == "nik" else len(typed) >= PIN_MIN

    def key(self, key: str) -> None:
        if self.stage not in STAGES or self.checking:
            return
        if self.stage == "nik" or not key.isdigit():
            self.app.assist.key(key)  # a PIN's digits are never spoken aloud
        self.error = ""
        typed = self._typed[self.stage]
        limit = NIK_LEN if self.stage == "nik" else PIN_MAX
        if key == "back":
            typed = typed[:-1]
        elif key == "clear":
            typed = ""
        elif len(typed) < limit:
            typed += key
        self._typed[self.stage] = typed
        self._show()

    def _show(self) -> None:
        typed = self._typed.get(self.stage, "")
        if self.stage == "nik":
            self.shown = grouped(typed + "_" * (NIK_LEN - len(typed)))
        elif self.stage in STAGES:
            self.shown = "●" * len(typed) or "_ _ _ _"
        else:
            self.shown = ""
        self.prompt = self.app.tr(PROMPTS[self.stage]) if self.stage in STAGES else ""
        if "go" in self.ids:
            self.ids.go.disabled = self.checking or not self.ready()

    def submit(self) -> None:
        if self.checking or not self.ready():
            return
        if self.stage != "again":
            self.stage = STAGES[STAGES.index(self.stage) + 1]
            self._show()
            return
        # Sent: the PINs are forgotten here at once; the NIK stays for another try (wiped on Batal/idle).
        typed, self._typed = self._typed, {**dict.fromkeys(STAGES, ""), "nik": self._typed["nik"]}
        unit = self.app.unit
        self.checking = True
        self._show()
        self.app.background(lambda: unit.change_resident_pin(typed["nik"], typed["old"], typed["new"],
                                                             typed["again"]),
                            done=self._result, fail=self._failed)

    def _result(self, result) -> None:
        self.checking = False
        if result.changed:
            self.stage = "done"
            self.message = result.message
        else:
            self.error = result.message
            # The NIK is kept for another try of the PINs; a lock starts over from the NIK.
            self.stage = result.again if result.again in STAGES else "nik"
        self.app.assist.say(self.message or self.error)
        self._show()

    def _failed(self, exc: Exception) -> None:
        self.checking = False
        self.stage = "nik"
        self.error = user_message(exc, self.app.lang) or self.app.tr("identity.pin.failed")
        self._show()

    def on_leave(self, *args):
        super().on_leave(*args)
        self.clear()

    def clear(self) -> None:
        self._typed = dict.fromkeys(STAGES, "")
        self.stage = "nik"
        self.shown = self.prompt = self.error = self.message = ""
        self.checking = False
