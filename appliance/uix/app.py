"""The kiosk app: one ScreenManager, the resident session, the idle timer, the operator gesture.

The session (appliance.services.kiosk) decides; the app shows `session.step` and runs anything slow
(look-ups that touch the disk, rendering, printing, imports, argon2) in a thread whose result comes
back through the Clock, so the UI thread never waits. Results that come back after the session was
wiped (idle timeout) are dropped: `generation` changes on every wipe.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from appliance.i18n import set_language, translate
from appliance.services.kiosk import Step
from appliance.uix import watchdog
from appliance.uix.assist import Assist
from appliance.uix.flow import ResidentFlow
from appliance.uix.status import DeviceStatus
from appliance.uix.theme import Theme, rgba
from appliance.uix.ui_screens import SCREENS

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


class KioskApp(ResidentFlow, DeviceStatus, App):
    title = "Semenit"
    lang = StringProperty("id")
    banner = StringProperty("")  # the printer's state when it is not ready (home screen)
    clock_text = StringProperty("")
    usb_files = ListProperty([])
    operator = BooleanProperty(False)
    busy = NumericProperty(0)
    th = ObjectProperty(None)

    def __init__(self, backend, demo: bool = False, clock=time.monotonic, **kwargs):
        super().__init__(**kwargs)
        self.backend = backend
        self.demo = demo
        self._clock = clock
        self.offset = 0.0  # the tour driver moves time forward without waiting
        self.session = backend.new_session()
        self.generation = 0
        self.last_touch = self.now()
        self.shown_at = 0.0
        self.touch_guard_s = float(backend.ui_conf.get("touch_guard_s", 0.35))
        self.marks: dict[str, float] = {}
        self.dialog = None
        self.idle_dialog = None
        self.job_ids: list[str] = []
        self.ready_sent = False
        self._events = []
        self.lang = str(backend.ui_conf.get("language", "id"))
        set_language(self.lang)
        self.th = Theme(float(backend.ui_conf.get("display_diagonal_in") or 0))
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

        corner = HoldCorner(pos_hint={"x": 0, "top": 1}, hold_s=float(self.backend.ui_conf.get("operator_hold_s", 3)))
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
        self.backend.button_listener = lambda: Clock.schedule_once(lambda dt: self.queue_button(), 0)
        self._printer_changed = Clock.create_trigger(lambda dt: self.update_printer_banner())
        printers = self.backend.printers
        if printers is not None:
            printers.add_state_listener(lambda state: self._printer_changed())
            printers.spool.add_listener(self._job_changed)
        self.update_printer_banner()
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
        self.backend.button_listener = None
        # Unbind from the window: it outlives the app (the tour and the tests start several in turn).
        Window.unbind(size=self._resized, on_touch_down=self._activity, on_key_down=self._key_down,
                      on_textinput=self._text_input)
        for ev in self._events:
            ev.cancel()
        for scr in self.sm.screens:
            scr.stop_timers()
        self.corner._cancel()
        watcher = getattr(self, "usb_watcher", None)
        if watcher is not None:
            watcher.stop()
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
        if key in (13, 271) and hasattr(current, "on_enter_key"):
            return current.on_enter_key()
        if self.demo and codepoint in ("q", "Q") and not getattr(current, "wants_keys", False):
            self.press_mock_button()
            return True
        return False

    def _text_input(self, _window, text):
        current = self.sm.current_screen
        if getattr(current, "wants_keys", False):
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
        timeout = float(self.backend.kiosk_conf["idle_timeout_s"])
        warning = float(self.backend.kiosk_conf["idle_warning_s"])
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
        if self.backend.hardware is not None:
            self._light()

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
