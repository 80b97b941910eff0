"""One screen = one kv rule (`<name>.kv`) + one small class (`<name>.py`); the app shows `session.step`.

Every screen implements `refresh()` (fill its widgets from the session, in the current language) and
`clear()` (forget everything it shows: the idle wipe calls it on every screen, shown or not).
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import NumericProperty
from kivy.uix.screenmanager import Screen


class KScreen(Screen):
    screen_name = ""

    @property
    def wants_keys(self) -> bool:
        """True where a keyboard-wedge card reader may type (the e-KTP tag on the verify screen)."""
        return False
    _ev = None  # this screen's Clock interval, if it runs one

    @property
    def app(self):
        return App.get_running_app()

    def refresh(self) -> None:
        pass

    def on_enter_key(self) -> bool:
        """Enter on a keyboard (or a card reader's end of line): True when the screen used it."""
        return False

    def clear(self) -> None:
        pass

    def stop_timers(self) -> None:
        """Cancel this screen's Clock interval (on leaving, and when the app stops: a timer left behind
        would act on whatever app runs next in the same process)."""
        ev = self._ev
        if ev is not None:
            ev.cancel()
            self._ev = None

    def on_enter(self, *args):
        # Spoken guidance for whoever switched it on (it runs in its own thread: nothing waits here).
        self.app.assist.screen_shown(self)

    def on_leave(self, *args):
        self.stop_timers()


class ReturningScreen(KScreen):
    """A screen that counts down (`left`, in seconds, for the "back in N s" line) and then goes home."""

    left = NumericProperty(0)
    _until = 0.0

    def return_in(self, seconds: float) -> None:
        self._until = self.app.now() + seconds
        self._tick()

    def on_enter(self, *args):
        super().on_enter(*args)
        self._ev = Clock.schedule_interval(lambda dt: self._tick(), 0.25)

    def _tick(self) -> None:
        self.left = max(0, int(self._until - self.app.now() + 0.999))
        if self.left <= 0 and self.app.sm.current == self.name:
            self.app.go_home()

    def clear(self) -> None:
        self.left = 0


def _screens():
    from appliance.uix.ui_screens.clock_confirm import ClockConfirmScreen
    from appliance.uix.ui_screens.confirm import ConfirmScreen
    from appliance.uix.ui_screens.done import DoneScreen
    from appliance.uix.ui_screens.fields import FieldsScreen
    from appliance.uix.ui_screens.home import HomeScreen
    from appliance.uix.ui_screens.ineligible import IneligibleScreen
    from appliance.uix.ui_screens.letter import LetterScreen
    from appliance.uix.ui_screens.locked import LockedScreen
    from appliance.uix.ui_screens.nik import NikScreen
    from appliance.uix.ui_screens.operator import OperatorScreen
    from appliance.uix.ui_screens.operator_code import OperatorCodeScreen
    from appliance.uix.ui_screens.operator_import import OperatorImportScreen
    from appliance.uix.ui_screens.operator_letters import OperatorLettersScreen
    from appliance.uix.ui_screens.pin_change import PinChangeScreen
    from appliance.uix.ui_screens.preview import PreviewScreen
    from appliance.uix.ui_screens.printing import PrintingScreen
    from appliance.uix.ui_screens.queue import QueueScreen
    from appliance.uix.ui_screens.verify import VerifyScreen

    return [HomeScreen, LetterScreen, NikScreen, VerifyScreen, ConfirmScreen, FieldsScreen, PreviewScreen,
            PrintingScreen, DoneScreen, IneligibleScreen, LockedScreen, QueueScreen, OperatorScreen,
            OperatorImportScreen, OperatorLettersScreen, ClockConfirmScreen, PinChangeScreen, OperatorCodeScreen]


class _Lazy:
    """SCREENS, imported when the app builds (the modules import Kivy widgets)."""

    def __iter__(self):
        return iter(_screens())


SCREENS = _Lazy()
