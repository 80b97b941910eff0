from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from appliance.uix.dialogs import KDialog
from appliance.uix.widgets import KButton

# Alphabetical, not QWERTY: many first-time users have never typed on a QWERTY keyboard.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
DIGITS = "1234567890.,/-"
KEY_GAP_MM = 2.5  # ≥ 2 mm between keys: a finger meant for one must not land on two
PANEL_PAD_MM = 1.5  # the keyboard's own margin (dialogs.kv)


class KeyboardDialog(KDialog):
    """The on-screen keyboard, only where a letter needs free text (or numbers: the keypad layout)."""

    title = StringProperty("")
    text = StringProperty("")
    numeric = BooleanProperty(False)
    digits_mode = BooleanProperty(False)
    max_length = NumericProperty(60)

    def __init__(self, on_done=None, **kwargs):
        super().__init__(**kwargs)
        self.on_done = on_done
        self.digits_mode = self.numeric
        self.build_keys()

    def build_keys(self) -> None:
        app = self.app
        grid = self.ids.keygrid
        grid.clear_widgets()
        keys = DIGITS[:10] if self.numeric else (DIGITS if self.digits_mode else LETTERS)
        # As many 15 mm keys across as the panel holds (9 on a 7" landscape panel: three rows of letters).
        gap = app.th.mm(KEY_GAP_MM)
        usable = self.app.root.width - 2 * app.th.mm(PANEL_PAD_MM)
        cols = max(5, int((usable + gap) // (app.th.target + gap)))
        grid.cols = 5 if self.numeric else cols
        grid.spacing = gap
        rows = -(-len(keys) // grid.cols)
        grid.height = rows * app.th.target + (rows - 1) * gap
        for ch in keys:
            b = KButton(text=ch, role="secondary", name=f"kb_{ch}", font_size=app.th.label)
            b.bind(on_release=lambda _b, c=ch: self.type(c))
            grid.add_widget(b)

    def type(self, ch: str) -> None:
        if len(self.text) < self.max_length:
            self.text += ch

    def backspace(self) -> None:
        self.text = self.text[:-1]

    def toggle(self) -> None:
        self.digits_mode = not self.digits_mode
        self.build_keys()

    def done(self) -> None:
        text, self.text = self.text, ""
        self.close()
        if self.on_done is not None:
            self.on_done(text)

    def on_dismiss(self):
        self.text = ""
