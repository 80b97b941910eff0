from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from appliance.uix.ui_screens import KScreen


class PrintingScreen(KScreen):
    """Progress with the printer's real state (from the printing area's poller and the spool's job)."""

    screen_name = "printing"
    state_text = StringProperty("")
    error = StringProperty("")
    stuck = BooleanProperty(False)
    progress = NumericProperty(0)

    def on_enter(self, *args):
        self._ev = Clock.schedule_interval(self._spin, 0.1)


    def _spin(self, _dt):
        if not self.stuck:
            self.progress = (self.progress + 4) % 100

    def refresh(self) -> None:
        app = self.app
        state = app.unit.printer_state()
        issued = app.session.issued
        jobs = app.unit.letter_progress(issued).jobs if issued is not None else []
        failed = [j for j in jobs if j.state == "failed" or j.error]
        blocking = state is not None and state.blocking
        self.state_text = state.message if state is not None else ""
        if failed:
            self.error = failed[0].error or app.tr("ui.printing.failed_generic")
        if failed or blocking:
            self.stuck = True
            self.error = self.error or app.tr("ui.printing.waiting_printer")

    def failed(self, message: str) -> None:
        self.stuck = True
        self.error = message

    def clear(self) -> None:
        self.state_text = self.error = ""
        self.stuck = False
        self.progress = 0
