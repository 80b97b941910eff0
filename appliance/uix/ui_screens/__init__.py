"""One screen = one kv rule (`<name>.kv`) + one small class (`<name>.py`); the app shows `session.step`.

Every screen implements `refresh()` (fill its widgets from the session, in the current language) and
`clear()` (forget everything it shows: the idle wipe calls it on every screen, shown or not).
"""

from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen


class KScreen(Screen):
    screen_name = ""
    wants_keys = False  # True where a keyboard-wedge card reader may type

    @property
    def app(self):
        return App.get_running_app()

    def refresh(self) -> None:
        pass

    def clear(self) -> None:
        pass

    def stop_timers(self) -> None:
        """Cancel this screen's Clock interval (on leaving, and when the app stops: a timer left behind
        would act on whatever app runs next in the same process)."""
        ev = getattr(self, "_ev", None)
        if ev is not None:
            ev.cancel()
            self._ev = None

    def on_leave(self, *args):
        self.stop_timers()


def _screens():
    from appliance.uix.ui_screens.confirm import ConfirmScreen
    from appliance.uix.ui_screens.done import DoneScreen
    from appliance.uix.ui_screens.fields import FieldsScreen
    from appliance.uix.ui_screens.home import HomeScreen
    from appliance.uix.ui_screens.ineligible import IneligibleScreen
    from appliance.uix.ui_screens.letter import LetterScreen
    from appliance.uix.ui_screens.locked import LockedScreen
    from appliance.uix.ui_screens.nik import NikScreen
    from appliance.uix.ui_screens.operator import OperatorScreen
    from appliance.uix.ui_screens.operator_import import OperatorImportScreen
    from appliance.uix.ui_screens.operator_letters import OperatorLettersScreen
    from appliance.uix.ui_screens.preview import PreviewScreen
    from appliance.uix.ui_screens.printing import PrintingScreen
    from appliance.uix.ui_screens.queue import QueueScreen
    from appliance.uix.ui_screens.verify import VerifyScreen

    return [HomeScreen, LetterScreen, NikScreen, VerifyScreen, ConfirmScreen, FieldsScreen, PreviewScreen,
            PrintingScreen, DoneScreen, IneligibleScreen, LockedScreen, QueueScreen, OperatorScreen,
            OperatorImportScreen, OperatorLettersScreen]


class _Lazy:
    """SCREENS, imported when the app builds (the modules import Kivy widgets)."""

    def __iter__(self):
        return iter(_screens())


SCREENS = _Lazy()
