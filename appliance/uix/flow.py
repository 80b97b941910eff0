"""The resident's steps and the operator's way in, as the screens call them (a mixin of KioskApp).

Each method moves the session (appliance.services.kiosk) and shows the step it is at; anything slow
(issuing and printing a letter, a queue ticket, the argon2 PIN check) runs in `background`.
"""

from __future__ import annotations

import logging
import time

from kivy.clock import Clock

from appliance.services.kiosk import Step
from appliance.services.operator import OPERATOR_LOCK_KEY

log = logging.getLogger("semenit.ui")


class ResidentFlow:
    # --- the resident flow ---------------------------------------------------------------------------
    def start_letter(self) -> None:
        self.marks["flow_start"] = time.perf_counter()
        self.marks.pop("job_sent", None)
        if self.backend.catalog is None or self.backend.store is None or self.backend.letters is None:
            self.message(self.tr("ui.problem.title"), self.tr("ui.problem.no_letters"))
            return
        from appliance.uix.ui_screens.clock_confirm import must_confirm

        if must_confirm(self):  # no NTP, no RTC since boot: the operator confirms the date first
            self.show("clock_confirm")
            return
        self.session.start()
        self.show()

    def choose_letter(self, code: str) -> None:
        self.session.choose_letter(code)
        self.show()

    def back(self) -> None:
        self.session.back()
        self.show()

    def submit_nik(self, digits: str, on_problem) -> None:
        """Check the NIK (and its lockout, on disk) in a worker; on to the next step, or `on_problem(key)`."""
        session = self.session

        def done(problem):
            if problem is None or session.step == Step.LOCKED:
                self.show()
            else:
                on_problem(problem)

        self.background(lambda: session.enter_nik(digits), done=done)

    def verified(self, result) -> None:
        """After a verification: on to "is this you?", the lock screen, or stay and say it did not match."""
        if result.ok or self.session.step == Step.LOCKED:
            self.show()
        else:
            self.sm.current_screen.mismatch()

    def confirm(self) -> None:
        self.session.confirm()
        self.show()

    def not_me(self) -> None:
        self.session.not_me()
        self.show()

    def answer_field(self, value) -> None:
        self.session.set_field(value)
        self.show()

    def print_letter(self) -> None:
        session = self.session
        code, nik, fields = session.letter.code, session.nik, session.fields
        session.printing()
        self.show()
        letters = self.backend.letters

        usage = self.backend.usage

        def work():
            issued = letters.issue(code, nik, fields)
            usage.bump(code)
            return issued

        self.background(work, done=lambda issued: self._issued(code, issued), fail=self._issue_failed)

    def _issued(self, code: str, issued) -> None:
        self.session.s.issued = issued
        self.job_ids = _job_ids(issued)
        spool = self.backend.printers.spool if self.backend.printers is not None else None
        jobs = [spool.get(j) for j in self.job_ids] if spool is not None else []
        for job in jobs:
            if job is not None:
                self._job_changed(job)
        if not self.job_ids:
            self.marks.setdefault("job_sent", time.perf_counter())
            self._print_finished(ok=True)
        else:
            self.screen("printing").refresh()

    def _issue_failed(self, exc) -> None:
        log.error("issue failed: %s", exc.__class__.__name__)
        self.screen("printing").failed(str(getattr(exc, "message", "")) or self.tr("ui.printing.failed_generic"))

    def _job_changed(self, job) -> None:
        """Spool listener (any thread): note the time the job was sent, then update on the UI thread."""
        if job.id in self.job_ids and job.state in ("sent", "done"):
            self.marks.setdefault("job_sent", time.perf_counter())
        Clock.schedule_once(lambda dt: self._job_update(job.id), 0)

    def _job_update(self, job_id: str) -> None:
        if job_id not in self.job_ids or self.session.step != Step.PRINTING:
            return
        spool = self.backend.printers.spool
        jobs = [spool.get(j) for j in self.job_ids]
        if all(j is not None and j.state == "done" for j in jobs):
            self._print_finished(ok=True)
        else:
            self.screen("printing").refresh()

    def _print_finished(self, ok: bool) -> None:
        if self.session.step == Step.PRINTING:
            self.session.printed(self.session.s.issued)
            self.show()

    def press_mock_button(self) -> None:
        """Q on a desktop: press the mock GPIO button (its debounce and thread run as on a unit)."""
        hw = self.backend.hardware
        button = getattr(hw, "button", None)
        pin = getattr(getattr(button, "button", None), "pin", None) or getattr(button, "pin", None)
        if pin is not None and hasattr(pin, "drive_low"):
            pin.drive_low()
            Clock.schedule_once(lambda dt: pin.drive_high(), 0.15)
        else:
            self.queue_button()

    def queue_button(self) -> None:
        """The physical button (or Q on a desktop): a ticket, and the number on screen when at home."""
        self.take_queue_number(from_button=True)

    def take_queue_number(self, from_button: bool = False) -> None:
        queue = self.backend.queue
        if queue is None:
            self.message(self.tr("ui.problem.title"), self.tr("ui.problem.no_queue"))
            return
        if from_button and self.sm.current not in ("home", "queue"):
            # A resident is using the screen: print the ticket, do not take the screen away from them.
            self.background(queue.take, keep=True)
            return
        self.wipe()
        scr = self.screen("queue")
        scr.waiting()
        self.show("queue")
        self.background(queue.take, done=scr.ticket, fail=scr.failed)

    # --- operator ------------------------------------------------------------------------------------
    def operator_gesture(self) -> None:
        if self.sm.current != "home" or self.dialog is not None:
            return
        from appliance.uix.dialogs.pin import OperatorPinDialog

        self.open_dialog(OperatorPinDialog())

    def check_operator_pin(self, pin: str, dialog) -> None:
        guard, store = self.backend.guard, self.backend.operator_pin

        def work():
            block = guard.check(OPERATOR_LOCK_KEY)
            if block:
                return ("blocked", block)
            if not store.is_set():
                return ("unset", None)
            if store.verify(pin):
                guard.success(OPERATOR_LOCK_KEY)
                return ("ok", None)
            return ("wrong", guard.failure(OPERATOR_LOCK_KEY))

        self.background(work, done=dialog.result, keep=True)

    def enter_operator(self) -> None:
        self.close_dialog()
        self.wipe()
        self.operator = True
        self.show("operator")

    def leave_operator(self) -> None:
        self.go_home()


def _job_ids(issued) -> list[str]:
    """The spool job ids of an issued letter, whatever the letters area calls them."""
    for name in ("job_ids", "jobs"):
        value = getattr(issued, name, None)
        if value:
            return [getattr(j, "id", j) for j in value]
    value = getattr(issued, "job_id", None) or getattr(issued, "job", None)
    if value:
        return [getattr(value, "id", value)]
    return []
