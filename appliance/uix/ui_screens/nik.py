from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.ui_screens import KScreen

NIK_LEN = 16


def grouped(text: str) -> str:
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def grouped_in_text(text: str) -> str:
    """The NIK grouped for a sentence: it may break onto a second line only between its two halves
    ("5201 1450" / "0397 6995"), never inside a group (one unbreakable word would be cut anywhere once
    the larger text makes it wider than the line)."""
    groups = grouped(text).split(" ")
    return " ".join("\u00a0".join(groups[i:i + 2]) for i in range(0, len(groups), 2))


class NikScreen(KScreen):
    """The NIK on a big keypad, shown whole in groups of four so a typo can be found; checked before going on
    (the next screens show it masked)."""

    screen_name = "nik"
    shown = StringProperty("")
    count_text = StringProperty("")
    error = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._digits = ""

    @property
    def complete(self) -> bool:
        return len(self._digits) == NIK_LEN

    def key(self, key: str) -> None:
        self.app.assist.key(key)
        self.error = ""
        if key == "clear":
            self._digits = ""
        elif key == "back":
            self._digits = self._digits[:-1]
        elif len(self._digits) < NIK_LEN:
            self._digits += key
        self._show()

    def _show(self) -> None:
        d = self._digits
        self.shown = grouped(d + "_" * (NIK_LEN - len(d)))
        # One line says what to do: the digits still wanted, then "same as your KTP?".
        if self.complete:
            self.count_text = self.app.tr("ui.nik.check")
        else:
            self.count_text = self.app.tr("ui.nik.hint") + " " + self.app.tr("ui.nik.count", n=len(d), total=NIK_LEN)
        self.ids.go.disabled = not self.complete

    def submit(self) -> None:
        if not self.complete or self.ids.go.disabled:
            return
        self.ids.go.disabled = True
        self.app.submit_nik(self._digits, on_problem=self._problem)

    def _problem(self, key: str) -> None:
        self.error = self.app.tr(key)
        self.app.assist.say(self.error)
        self._show()

    def refresh(self) -> None:
        self._show()

    def on_leave(self, *args):
        # The NIK went to the session (or was abandoned): nothing of it stays on this screen.
        super().on_leave(*args)
        self.clear()

    def clear(self) -> None:
        self._digits = ""
        self.shown = ""
        self.error = ""
        self.count_text = ""
