"""The kiosk app: the one controller the screens bind to (kv rules call `app.<method>`).

It keeps only Kivy: the ScreenManager, the Clock, threads, dialogs, the idle timer and the operator
gesture. What the kiosk does lives in the application layer: `Unit` (appliance.services.unit) issues and
follows letters, takes queue numbers, checks the operator PIN and decides the unit's state, one rule for
the light and the banner; the session (appliance.services.kiosk) decides the resident's steps. The app
shows `session.step` and runs anything slow in a thread whose result comes back through the Clock, so the
UI thread never waits. Results that come back after the session was wiped (idle timeout) are dropped:
`generation` changes on every wipe. All its state is declared in `__init__` (no mixins sharing attributes).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from appliance.i18n import set_language, translate
from appliance.services.errors import user_message
from appliance.services.kiosk import Step, VerifyResult
from appliance.services.status import UnitState
from appliance.services.unit import LetterProgress, Unit
from appliance.uix import watchdog
from appliance.uix.assist import Assist
from appliance.uix.theme import Theme, rgba
from appliance.uix.ui_screens import SCREENS

if TYPE_CHECKING:
    from appliance.services.usb import UsbWatcher
    from appliance.uix.dialogs.idle import IdleWarning
    from appliance.uix.widgets import HoldCorner

log = logging.getLogger("semenit.ui")
UIX = Path(__file__).parent

STEP_SCREENS = {
    Step.HOME: "home", Step.LETTER: "letter", Step.NIK: "nik", Step.VERIFY: "verify", Step.CONFIRM: "confirm",
    Step.FIELDS: "fields", Step.PREVIEW: "preview", Step.PRINTING: "printing", Step.DONE: "done",
    Step.INELIGIBLE: "ineligible", Step.LOCKED: "locked",
}
# Screens where nobody's data is shown and no timer is needed.
RESTING = ("home",)


def load_kv() -> None:
    """Load every kv file once per process (a second App in the same process must not duplicate rules)."""
    files = [UIX / "widgets.kv", *sorted((UIX / "ui_screens").glob("*.kv")), *sorted((UIX / "dialogs").glob("*.kv"))]
    for path in files:
        Builder.unload_file(str(path))
        Builder.load_file(str(path))


class KioskApp(App):
    title = "Semenit"
    lang = StringProperty("id")
    banner = StringProperty("")  # why a person is needed, from the unit's state (home screen); "" when ready
    light = StringProperty("off")  # the unit's light state, as the status light shows it
    clock_text = StringProperty("")
    usb_files = ListProperty([])
    operator = BooleanProperty(False)
    busy = NumericProperty(0)
    th = ObjectProperty(None)
    # Built in build(), once Kivy runs (the kv rules are loaded there).
    sm: ScreenManager
    corner: HoldCorner

    def __init__(self, unit: Unit, demo: bool = False, clock=time.monotonic, **kwargs):
        super().__init__(**kwargs)
        self.unit = unit
        self.demo = demo
        self._clock = clock
        self.offset = 0.0  # the tour driver moves time forward without waiting
        self.session = unit.new_session()
        self.generation = 0
        self.last_touch = self.now()
        self.shown_at = 0.0
        self.touch_guard_s = float(unit.ui_conf.get("touch_guard_s", 0.35))
        self.marks: dict[str, float] = {}
        self.dialog = None
        self.idle_dialog: IdleWarning | None = None
        self.job_ids: list[str] = []  # the print jobs of the letter being printed (the tour reads them)
        self.ready_sent = False
        self.usb_watcher: UsbWatcher | None = None
        self._events: list = []
        self._state_changed = Clock.create_trigger(lambda dt: self.show_state())
        self.lang = str(unit.ui_conf.get("language", "id"))
        set_language(self.lang)
        self.th = Theme(float(unit.ui_conf.get("display_diagonal_in") or 0))
        self.assist = Assist(self)  # speech, larger text, "Panggil petugas" (issue 15)

    # --- time and text -------------------------------------------------------------------------------
    def now(self) -> float:
        return self._clock() + self.offset

    def tr(self, key: str, *_bindings, **params) -> str:
        """Text from the catalog in the current language (kv passes app.lang to re-evaluate on a switch)."""
        return translate(key, self.lang, **params)

    def set_lang(self, lang: str) -> None:
        set_language(lang)
        self.lang = lang
        self.show_state()
        self.refresh_all()

    # --- building ------------------------------------------------------------------------------------
    def build(self):
        load_kv()
        Window.clearcolor = rgba("bg")
        self.th.update(*Window.size)
        Window.bind(size=self._resized)
        self.sm = ScreenManager(transition=NoTransition())
        for cls in SCREENS:
            self.sm.add_widget(cls(name=cls.screen_name))
        root = FloatLayout()
        root.add_widget(self.sm)
        from appliance.uix.widgets import HoldCorner

        corner = HoldCorner(pos_hint={"x": 0, "top": 1}, hold_s=float(self.unit.ui_conf.get("operator_hold_s", 3)))
        corner.bind(on_hold=lambda *_: self.operator_gesture())
        root.add_widget(corner)
        self.corner = corner
        return root

    def _resized(self, _window, size) -> None:
        self.th.update(*size)
        self.refresh_all()

    def screen(self, name: str):
        return self.sm.get_screen(name)

    def refresh_all(self) -> None:
        for scr in self.sm.screens:
            scr.refresh()

    def on_start(self):
        Window.bind(on_touch_down=self._activity, on_key_down=self._key_down, on_textinput=self._text_input)
        self._events = [
            Clock.schedule_interval(lambda dt: self.idle_tick(), 0.25),
            Clock.schedule_interval(lambda dt: self._tick_clock(), 1.0),
        ]
        if watchdog.notify_socket():
            self._events.append(Clock.schedule_interval(lambda dt: watchdog.notify("WATCHDOG=1"),
                                                        watchdog.ping_interval_s()))
        self._tick_clock()
        # gpiozero calls from its own thread: hand the press to the UI thread.
        self.unit.button_listener = lambda: Clock.schedule_once(lambda dt: self.queue_button(), 0)
        # The unit's state changes in printer and spool threads: show it on the UI thread.
        self.unit.status.add_listener(self._on_unit_state)
        self.unit.follow_jobs(self._job_changed)
        self.show_state()
        self._start_usb()
        self.go_home()
        Clock.schedule_once(lambda dt: self._ready(), 0)

    def _ready(self) -> None:
        # READY=1 once the home screen is on the glass (systemd Type=notify).
        if not self.ready_sent and self.sm.current == "home":
            self.ready_sent = True
            self.marks["ready"] = time.perf_counter()
            watchdog.notify("READY=1")

    def on_stop(self):
        self.unit.button_listener = None
        self.unit.status.remove_listener(self._on_unit_state)
        # Unbind from the window: it outlives the app (the tour and the tests start several in turn).
        Window.unbind(size=self._resized, on_touch_down=self._activity, on_key_down=self._key_down,
                      on_textinput=self._text_input)
        for ev in self._events:
            ev.cancel()
        for scr in self.sm.screens:
            scr.stop_timers()
        self.corner._cancel()
        if self.usb_watcher is not None:
            self.usb_watcher.stop()
        self.assist.close()
        watchdog.notify("STOPPING=1")

    # --- threads -------------------------------------------------------------------------------------
    def background(self, work, done=None, fail=None, keep: bool = False) -> None:
        """Run `work()` in a thread; `done(result)` / `fail(exc)` run on the UI thread afterwards.

        Unless `keep`, a result that arrives after the session was wiped is dropped."""
        self.busy += 1
        generation = self.generation

        def finish(ok, value):
            self.busy -= 1
            if App.get_running_app() is not self:
                return  # this app has stopped (the tour and the tests run several in one process)
            if not keep and generation != self.generation:
                return
            callback = done if ok else fail
            if callback is not None:
                callback(value)
            elif not ok:
                log.error("background task failed: %s", value.__class__.__name__)

        def run():
            try:
                value, ok = work(), True
            except Exception as exc:  # noqa: BLE001 - reported on the UI thread
                value, ok = exc, False
            Clock.schedule_once(lambda dt: finish(ok, value), 0)

        threading.Thread(target=run, name="ui-work", daemon=True).start()

    # --- input ---------------------------------------------------------------------------------------
    def _activity(self, *_args):
        now = self.now()
        self.last_touch = now
        self.assist.touched()
        if self.idle_dialog is not None:
            self.idle_dialog.dismiss()
            self.idle_dialog = None
            return True  # this touch only said "I am still here"
        # A double tap (common with first-time users) must not press what appears under the finger on
        # the next screen: touches right after a screen or dialog appears are ignored.
        return now - self.shown_at < self.touch_guard_s

    def _key_down(self, _window, key, _scancode, codepoint, _modifiers):
        self.last_touch = self.now()
        current = self.sm.current_screen
        if key in (13, 271):
            return current.on_enter_key()
        if self.demo and codepoint in ("q", "Q") and not current.wants_keys:
            self.unit.press_queue_button()
            return True
        return False

    def _text_input(self, _window, text):
        current = self.sm.current_screen
        if current.wants_keys:
            current.key_text(text)
            return True
        return False

    # --- idle: a warning, then home with everything forgotten ---------------------------------------
    def idle_tick(self) -> None:
        if self.sm.current in RESTING and not self.operator:
            return
        if self.busy and self.sm.current == "operator_import":
            self.last_touch = self.now()  # an import in progress is not an absent operator
        idle = self.now() - self.last_touch
        timeout = float(self.unit.kiosk_conf["idle_timeout_s"])
        warning = float(self.unit.kiosk_conf["idle_warning_s"])
        if idle >= timeout + warning:
            self.go_home()
        elif idle >= timeout:
            left = int(timeout + warning - idle + 0.999)
            if self.idle_dialog is None:
                from appliance.uix.dialogs.idle import IdleWarning

                self.close_dialog()
                self.idle_dialog = IdleWarning()
                self.idle_dialog.open()
            self.idle_dialog.seconds = left

    def wipe(self) -> None:
        """Forget the resident everywhere: session, every screen's widgets, dialogs, preview image."""
        self.generation += 1
        self.session.wipe()
        self.job_ids = []
        self.operator = False
        self.assist.reset()
        self.close_dialog()
        if self.idle_dialog is not None:
            self.idle_dialog.dismiss()
            self.idle_dialog = None
        for scr in self.sm.screens:
            scr.clear()

    def go_home(self) -> None:
        self.wipe()
        self.show("home")
        self.last_touch = self.now()

    def show(self, name: str | None = None) -> None:
        name = name or STEP_SCREENS[self.session.step]
        scr = self.screen(name)
        scr.refresh()
        self.sm.current = name
        self.shown_at = self.now()
        self.marks[f"screen:{name}"] = time.perf_counter()

    def close_dialog(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.dismiss()

    def open_dialog(self, dialog) -> None:
        self.close_dialog()
        self.dialog = dialog
        self.shown_at = self.now()
        dialog.open()

    def message(self, title: str, text: str, buttons=None) -> None:
        from appliance.uix.dialogs.message import MessageDialog

        self.open_dialog(MessageDialog(title=title, text=text, buttons=buttons or [
            (self.tr("ui.common.ok"), "primary", None, "ok")]))

    # --- the unit's state: the banner (the light follows the same rule in services.status) ----------
    def _on_unit_state(self, _state: UnitState) -> None:
        """Status listener (any thread): show the state on the UI thread."""
        self._state_changed()

    def show_state(self) -> None:
        state = self.unit.state()
        self.light = state.light.value
        self.banner = self.tr(state.reason, **state.params) if state.reason else ""
        if self.root is not None and self.sm.current == "printing":
            self.screen("printing").refresh()

    def _start_usb(self) -> None:
        from appliance.services.usb import UsbWatcher

        conf = self.unit.usb_conf
        changed = Clock.create_trigger(lambda dt: self._usb_changed())
        watcher = UsbWatcher(Path(str(conf["mount_dir"])), lambda files: changed(), float(conf["poll_s"]),
                             skip=(str(conf["export_dir"]),))
        watcher.start()
        self.usb_watcher = watcher

    def _usb_changed(self) -> None:
        if self.usb_watcher is None:
            return
        self.usb_files = list(self.usb_watcher.files)
        self.unit.usb_waiting(bool(self.usb_files))
        if self.sm.current.startswith("operator"):
            self.sm.current_screen.refresh()

    def _tick_clock(self) -> None:
        self.clock_text = self.unit.local_time().strftime("%H:%M")

    # --- the resident's steps (the session decides; the screens call these) -------------------------
    def start_letter(self) -> None:
        self.marks["flow_start"] = time.perf_counter()
        self.marks.pop("job_sent", None)
        if not self.unit.can_issue_letters():
            self.message(self.tr("ui.problem.title"), self.tr("ui.problem.no_letters"))
            return
        if self.unit.clock_needs_confirmation():  # no NTP, no RTC since boot: the operator confirms the date
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

    def verified(self, result: VerifyResult) -> None:
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
        session, unit = self.session, self.unit
        code, nik, fields, identified = session.letter.code, session.nik, session.fields, session.identified
        session.printing()
        self.show()
        self.background(lambda: unit.issue_letter(code, nik, fields, identified), done=self._issued,
                        fail=self._issue_failed)

    def _issued(self, issued) -> None:
        self.session.issued_as(issued)
        self.job_ids = list(issued.job_ids)
        progress = self.unit.letter_progress(issued)
        if any(job.state in ("sent", "done") for job in progress.jobs):
            self.marks.setdefault("job_sent", time.perf_counter())
        self._follow(progress)

    def _issue_failed(self, exc: Exception) -> None:
        log.error("issue failed: %s", exc.__class__.__name__)
        self.screen("printing").failed(user_message(exc, self.lang) or self.tr("ui.printing.failed_generic"))

    def _job_changed(self, job) -> None:
        """Spool listener (any thread): note the time the job was sent, then update on the UI thread."""
        if job.id in self.job_ids and job.state in ("sent", "done"):
            self.marks.setdefault("job_sent", time.perf_counter())
        Clock.schedule_once(lambda dt: self._job_update(job.id), 0)

    def _job_update(self, job_id: str) -> None:
        if job_id in self.job_ids and self.session.step == Step.PRINTING:
            self._follow(self.unit.letter_progress(self.session.issued))

    def _follow(self, progress: LetterProgress) -> None:
        if self.session.step != Step.PRINTING:
            return
        if progress.done:
            self.marks.setdefault("job_sent", time.perf_counter())
            self.session.printed(self.session.issued)
            self.show()
        else:
            self.screen("printing").refresh()

    # --- the queue button (or Q on a desktop: the unit presses the mock pin) -------------------------
    def queue_button(self) -> None:
        """A ticket, and the number on screen when at home."""
        self.take_queue_number(from_button=True)

    def take_queue_number(self, from_button: bool = False) -> None:
        unit = self.unit
        if unit.queue is None:
            self.message(self.tr("ui.problem.title"), self.tr("ui.problem.no_queue"))
            return
        if from_button and self.sm.current not in ("home", "queue"):
            # A resident is using the screen: print the ticket, do not take the screen away from them.
            self.background(unit.take_queue_number, keep=True)
            return
        self.wipe()
        scr = self.screen("queue")
        scr.waiting()
        self.show("queue")
        self.background(unit.take_queue_number, done=scr.ticket, fail=scr.failed)

    # --- operator ------------------------------------------------------------------------------------
    def operator_gesture(self) -> None:
        if self.sm.current != "home" or self.dialog is not None:
            return
        from appliance.uix.dialogs.pin import OperatorPinDialog

        self.open_dialog(OperatorPinDialog())

    def check_operator_pin(self, pin: str, dialog) -> None:
        unit = self.unit
        self.background(lambda: unit.check_operator_pin(pin), done=dialog.result, keep=True)

    def enter_operator(self) -> None:
        self.close_dialog()
        self.wipe()
        self.operator = True
        self.show("operator")

    def leave_operator(self) -> None:
        self.go_home()
