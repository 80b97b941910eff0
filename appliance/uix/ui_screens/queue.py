from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty

from appliance.uix.ui_screens import KScreen

RETURN_S = 12


class QueueScreen(KScreen):
    """The queue number, big, and how many wait before; the printed ticket comes out of the printer."""

    screen_name = "queue"
    number = StringProperty("")
    info = StringProperty("")
    left = NumericProperty(0)
    _until = 0.0

    def waiting(self) -> None:
        self.number = ""
        self.info = self.app.tr("ui.queue.taking")
        self._until = self.app.now() + 30

    def ticket(self, ticket) -> None:
        app = self.app
        self.number = str(getattr(ticket, "number", ticket))
        waiting = getattr(ticket, "waiting_before", None)
        lines = [app.tr("ui.queue.waiting", n=waiting)] if waiting is not None else []
        lines.append(app.tr("ui.queue.take_ticket"))
        self.info = "\n".join(lines)
        self._until = app.now() + RETURN_S
        app.marks["queue_ticket"] = app.now()

    def failed(self, exc) -> None:
        self.number = ""
        self.info = self.app.tr("ui.queue.failed")
        self._until = self.app.now() + RETURN_S

    def on_enter(self, *args):
        self._ev = Clock.schedule_interval(lambda dt: self._tick(), 0.25)


    def _tick(self) -> None:
        self.left = max(0, int(self._until - self.app.now() + 0.999))
        if self.left <= 0 and self.app.sm.current == self.name:
            self.app.go_home()

    def clear(self) -> None:
        self.number = self.info = ""
        self.left = 0
