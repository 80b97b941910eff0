from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.ui_screens import KScreen


class LockedScreen(KScreen):
    """How long to wait (never which factor failed), and a queue number to see an officer instead."""

    screen_name = "locked"
    title = StringProperty("")
    text = StringProperty("")

    def refresh(self) -> None:
        app = self.app
        block = app.session.block
        if block is None:
            self.clear()
            return
        self.title = app.tr(f"ui.locked.title_{block.reason}")
        self.text = app.tr("ui.locked.wait", minutes=block.minutes)

    def clear(self) -> None:
        self.title = self.text = ""
