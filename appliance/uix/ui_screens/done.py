from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.ui_screens import ReturningScreen


class DoneScreen(ReturningScreen):
    """"Silakan ambil surat Anda", the number, and home again by itself."""

    screen_name = "done"
    number = StringProperty("")

    def refresh(self) -> None:
        issued = self.app.session.issued
        self.number = str(getattr(issued, "number", "") or "")
        self.return_in(float(self.app.backend.kiosk_conf["done_return_s"]))

    def clear(self) -> None:
        super().clear()
        self.number = ""
