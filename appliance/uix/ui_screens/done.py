from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.ui_screens import ReturningScreen


class DoneScreen(ReturningScreen):
    """"Silakan ambil surat Anda", the number, and home again by itself."""

    screen_name = "done"
    number = StringProperty("")

    def refresh(self) -> None:
        issued = self.app.session.issued
        self.number = issued.number if issued is not None else ""
        self.return_in(float(self.app.unit.kiosk_conf["done_return_s"]))

    def clear(self) -> None:
        super().clear()
        self.number = ""
