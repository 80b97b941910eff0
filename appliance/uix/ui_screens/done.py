from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from appliance.uix.ui_screens import KScreen


class DoneScreen(KScreen):
    """"Silakan ambil surat Anda", the number, and home again by itself."""

    screen_name = "done"
    number = StringProperty("")
    left = NumericProperty(0)
    _until = 0.0

    def refresh(self) -> None:
        issued = self.app.session.issued
        self.number = str(getattr(issued, "number", "") or "")
        self._until = self.app.now() + float(self.app.backend.kiosk_conf["done_return_s"])
        self._tick()

    def on_enter(self, *args):
        self._ev = Clock.schedule_interval(lambda dt: self._tick(), 0.25)


    def _tick(self) -> None:
        self.left = max(0, int(self._until - self.app.now() + 0.999))
        if self.left <= 0 and self.app.sm.current == self.name:
            self.app.go_home()

    def clear(self) -> None:
        self.number = ""
        self.left = 0
