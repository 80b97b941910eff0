from __future__ import annotations

from kivy.properties import StringProperty

from appliance.uix.ui_screens import ReturningScreen

RETURN_S = 12
WAIT_FOR_TICKET_S = 30


class QueueScreen(ReturningScreen):
    """The queue number, big, and how many wait before; the printed ticket comes out of the printer."""

    screen_name = "queue"
    number = StringProperty("")
    info = StringProperty("")

    def waiting(self) -> None:
        self.number = ""
        self.info = self.app.tr("ui.queue.taking")
        self.return_in(WAIT_FOR_TICKET_S)

    def ticket(self, ticket) -> None:
        app = self.app
        self.number = str(ticket.number)
        waiting = ticket.waiting_before
        lines = [app.tr("ui.queue.next") if int(waiting) == 0 else app.tr("ui.queue.waiting", n=waiting)]
        lines.append(app.tr("ui.queue.take_ticket"))
        self.info = "\n".join(lines)
        self.return_in(RETURN_S)
        app.marks["queue_ticket"] = app.now()

    def spoken(self) -> str:
        return "\n".join(x for x in (self.app.tr("ui.queue.title"), self.number, self.info) if x)

    def failed(self, exc) -> None:
        self.number = ""
        self.info = self.app.tr("ui.queue.failed")
        self.return_in(RETURN_S)

    def clear(self) -> None:
        super().clear()
        self.number = self.info = ""
