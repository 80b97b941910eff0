from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.dialogs import KDialog
from appliance.uix.widgets import KButton


class MessageDialog(KDialog):
    """A title, a text and big buttons: [(label, role, callback or None, name)]."""

    title = StringProperty("")
    text = StringProperty("")

    def __init__(self, buttons=(), **kwargs):
        super().__init__(**kwargs)
        box = self.ids.buttons
        for label, role, callback, name in buttons:
            b = KButton(text=label, role=role, name=name)
            b.bind(on_release=lambda _b, cb=callback: self._press(cb))
            box.add_widget(b)

    def _press(self, callback) -> None:
        self.close()
        if callback is not None:
            callback()
