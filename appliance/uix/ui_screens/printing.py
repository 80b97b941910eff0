from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from appliance.uix.ui_screens import KScreen


class PrintingScreen(KScreen):
    """Progress while the letter prints; on a printer fault, the resident's side of it first.

    A fault says plainly what happened, that the resident need do nothing (the light has called an
    officer), that the letter is kept under its number and prints only when an officer is there, and
    offers a queue number. The letter's job is held at once (appliance.services.held_letters): it is
    never printed into an empty tray after the resident has gone."""

    screen_name = "printing"
    fault = StringProperty("")  # "" while all is well, else the printer's status (paper_out, …, failed)
    number = StringProperty("")
    message = StringProperty("")  # the fault, in the resident's words (with the number once it is known)
    progress = NumericProperty(0)
    held = BooleanProperty(False)

    def on_enter(self, *args):
        super().on_enter(*args)
        self._ev = Clock.schedule_interval(self._spin, 0.1)

    def _spin(self, _dt):
        if not self.fault:
            self.progress = (self.progress + 4) % 100

    def refresh(self) -> None:
        app = self.app
        issued = app.session.issued
        self.number = str(issued.number) if issued is not None else ""
        fault = app.unit.letter_fault(app.job_ids)
        if fault:
            self._fault(fault)
        if self.fault:
            self.hold()  # now, or as soon as the letter's jobs exist (it is issued in a worker)
        self.message = self.fault_text() if self.fault else ""

    def _fault(self, status: str) -> None:
        first = not self.fault
        self.fault = status
        if first:
            self.app.assist.summon()  # the light calls an officer until one clears the call
            self.app.assist.say(self.fault_text())
        self.message = self.fault_text()

    def hold(self) -> None:
        """Stop the letter's jobs now (kept under their number); the operator releases them."""
        app = self.app
        if app.unit.printers is None or not app.job_ids or self.held:
            return
        self.held = True
        unit, jobs, number = app.unit, list(app.job_ids), self.number
        code = app.session.letter.code if app.session.letter is not None else ""
        app.background(lambda: unit.hold_letter(jobs, number, code), keep=True)

    def failed(self, message: str) -> None:
        """The letter could not even be made (no number taken, or the service failed)."""
        self.fault = "failed"
        self.message = self.fault_text()

    def fault_text(self) -> str:
        app = self.app
        what = app.tr(f"ui.fault.{self.fault}")
        kept = app.tr("ui.fault.kept", number=self.number) if self.number else app.tr("ui.fault.not_made")
        return "\n".join((what, app.tr("ui.fault.nothing_to_do"), kept))

    def spoken(self) -> str:
        return self.fault_text() if self.fault else self.app.tr("ui.speak.printing")

    def clear(self) -> None:
        self.fault = self.number = self.message = ""
        self.held = False
        self.progress = 0
