"""The officer gives a resident a one-time print code (what `semenit operator print-code NIK TYPE` does).

The officer types the NIK on the keypad, chooses the letter type from the kiosk's letters and gets the
6-digit code, shown large with the time it expires. The code and the NIK are forgotten on "Selesai", on
leaving the screen and on the idle wipe; the code itself lives only as a digest (appliance/identity/codes).
"""

from __future__ import annotations

from functools import partial

from kivy.properties import BooleanProperty, StringProperty

from appliance.services.errors import user_message
from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.ui_screens.letter import short_title
from appliance.uix.ui_screens.nik import NIK_LEN, grouped
from appliance.uix.widgets import KButton


class OperatorCodeScreen(KScreen):
    screen_name = "operator_code"
    shown = StringProperty("")
    letter = StringProperty("")  # the chosen letter type's code
    code = StringProperty("")  # the issued code while it is shown
    detail = StringProperty("")
    error = StringProperty("")
    working = BooleanProperty(False)
    picking = BooleanProperty(False)  # the NIK is complete: the letter types take the keypad's place

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._digits = ""

    def refresh(self) -> None:
        app = self.app
        box = self.ids.types
        box.clear_widgets()
        for template in app.unit.templates():
            box.add_widget(KButton(name=f"type_{template.code}", role="secondary", max_font=app.th.body,
                                   grow=True, size_hint_y=None,
                                   text=short_title(localized(template, "title", app.lang)),
                                   on_release=partial(lambda code, *_: self.choose(code), template.code)))
        self._show()

    def choose(self, code: str) -> None:
        self.letter = code
        self.error = ""
        self._show()

    def key(self, key: str) -> None:
        if self.code or self.working:
            return
        self.error = ""
        if key == "back":
            self._digits = self._digits[:-1]
        elif key == "clear":
            self._digits = ""
        elif len(self._digits) < NIK_LEN:
            self._digits += key
        self._show()

    def back(self) -> None:
        """"Kembali": from the letter types back to the NIK (its last digit removed), else to the menu."""
        if self.picking:
            self.letter = ""
            self.key("back")
        else:
            self.finish()

    def _show(self) -> None:
        self.picking = len(self._digits) == NIK_LEN and not self.code
        self.shown = grouped(self._digits + "_" * (NIK_LEN - len(self._digits))) if not self.code else ""
        for tile in self.ids.types.children:
            tile.role = "go" if tile.name == f"type_{self.letter}" else "secondary"
        self.ids.make.disabled = self.working or not (len(self._digits) == NIK_LEN and self.letter)

    def make(self) -> None:
        if self.ids.make.disabled:
            return
        unit, nik, letter = self.app.unit, self._digits, self.letter
        self.working = True
        self._show()
        self.app.background(lambda: unit.issue_print_code(nik, letter), done=self._issued,
                            fail=self._failed)

    def _issued(self, shown) -> None:
        self.working = False
        if shown.error:
            self.error = shown.error
        else:
            self.code = shown.code
            self.detail = self.app.tr("identity.code.shown", nik=shown.nik, title=shown.title,
                                      until=shown.expires)
        self._show()

    def _failed(self, exc: Exception) -> None:
        self.working = False
        self.error = user_message(exc, self.app.lang) or self.app.tr("ui.operator.failed", error=str(exc)[:200])
        self._show()

    def finish(self) -> None:
        """"Selesai": nothing of the code or the NIK stays on screen."""
        self.clear()
        self.app.show("operator")

    def on_leave(self, *args):
        super().on_leave(*args)
        self.clear()

    def clear(self) -> None:
        self._digits = ""
        self.letter = self.code = self.detail = self.error = self.shown = ""
        self.working = self.picking = False
        if "types" in self.ids:
            self.ids.types.clear_widgets()
