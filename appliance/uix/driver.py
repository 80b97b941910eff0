"""Drive the real kiosk app with simulated touches (the tour and the UI tests).

Touches go through Kivy's real dispatch path (kivy.tests UnitTestTouch → EventLoop → Window → widgets),
widgets are found by their `name`, time is moved forward through the app's clock offset (no waiting
60 s for the idle timer), and the event loop is pumped by hand so the run is as fast as the machine.
"""

from __future__ import annotations

import time
from pathlib import Path

from appliance.uix import boot


# Internal, not a SemenitError: the UI tour's own failed check, an assertion for the developer.
class DriverError(AssertionError):
    """The UI did not do what the driver expected (a named widget missing, a wait timed out)."""


class Driver:
    def __init__(self, app):
        from kivy.base import EventLoop
        from kivy.core.window import Window

        self.app = app
        self.loop = EventLoop
        self.window = Window
        self.touches = 0
        self.digits = 0  # keypad digits typed (counted apart from touches: DESIGN's "besides the digits")

    @classmethod
    def start(cls, backend, size=(1280, 800), demo: bool = False) -> Driver:
        boot.configure(size[0], size[1], driver=True)
        boot.register_fonts()
        from kivy.base import EventLoop
        from kivy.core.window import Window

        from appliance.uix.app import KioskApp

        app = KioskApp(backend, demo=demo)
        _forget_previous_app()
        Window.size = size
        EventLoop.ensure_window()
        app._run_prepare()
        driver = cls(app)
        driver.pump(3)
        return driver

    def stop(self) -> None:
        from kivy.app import App

        app = self.app
        app.dispatch("on_stop")
        for child in list(self.window.children):
            self.window.remove_widget(child)
        App._running_app = None
        _forget_previous_app()

    # --- the loop --------------------------------------------------------------------------------------
    def pump(self, frames: int = 2) -> None:
        for _ in range(frames):
            self.loop.idle()

    def wait(self, condition, timeout: float = 15.0, what: str = "condition") -> None:
        """Pump frames until `condition()` holds, then one more: a screen just shown is laid out (its
        widgets get their positions) in the next frame, and a touch must land where they are."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise DriverError(f"timed out waiting for {what} (screen {self.app.sm.current})")
            self.pump(1)
            time.sleep(0.002)
        self.pump(1)

    def settle(self, frames: int = 30) -> None:
        """Pump frames until nothing on the window moves or resizes between two frames (bounded)."""

        def layout():
            return tuple((round(w.x), round(w.y), round(w.width), round(w.height))
                         for root in self.window.children for w in root.walk(restrict=True))

        before = None
        for _ in range(frames):
            self.pump(1)
            now = layout()
            if now == before:
                return
            before = now

    def wait_idle(self, timeout: float = 30.0) -> None:
        self.wait(lambda: self.app.busy == 0, timeout, "background work")

    def wait_screen(self, name: str, timeout: float = 15.0) -> None:
        self.wait(lambda: self.app.sm.current == name, timeout, f"screen {name}")

    @property
    def screen(self) -> str:
        return self.app.sm.current

    # --- finding and touching ------------------------------------------------------------------------
    def roots(self) -> list:
        """Top-most first: open dialogs, then the app's root."""
        return list(self.window.children)

    def find(self, name: str):
        from kivy.uix.modalview import ModalView

        for root in self.roots():
            # Deliberate getattr: any widget class may carry a `name` (our widgets do, Kivy's do not).
            hits = [w for w in root.walk(restrict=True) if getattr(w, "name", None) == name
                    and visible(w)]
            if hits:
                return hits[0]
            if isinstance(root, ModalView):
                # A dialog covers the screen: widgets under it cannot be touched.
                raise DriverError(f"no {name!r} in the open dialog {type(root).__name__}")
        raise DriverError(f"no visible widget named {name!r} on screen {self.app.sm.current}")

    def has(self, name: str) -> bool:
        try:
            self.find(name)
            return True
        except DriverError:
            return False

    def tap(self, name: str, hold_s: float = 0.0, frames: int = 1):
        from kivy.tests.common import UnitTestTouch

        widget = self.find(name)
        if widget.disabled:
            raise DriverError(f"{name!r} is disabled on screen {self.app.sm.current}")
        x, y = widget.to_window(*widget.center)
        self._pause()
        touch = UnitTestTouch(x, y)
        # Dispatch is synchronous (EventLoop → Window → widgets); one frame after the release lets the
        # Clock callbacks and the kv bindings the press started run, as on the unit.
        touch.touch_down()
        if hold_s:
            self.app.offset += hold_s
            self.pump(1)
            time.sleep(0.06)
            self.pump(2)
        touch.touch_up()
        self.pump(frames)
        self.touches += 1
        return widget

    def _pause(self) -> None:
        """A person does not touch twice within the app's double-tap guard: move its clock past it
        (on the app's clock, so the run stays as fast as the machine)."""
        self.app.offset += self.app.touch_guard_s

    def tap_at(self, x: float, y: float, hold_s: float = 0.0) -> None:
        from kivy.tests.common import UnitTestTouch

        self._pause()
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.pump(1)
        if hold_s:
            self.app.offset += hold_s
            deadline = time.monotonic() + 2
            while self.app.dialog is None and time.monotonic() < deadline:
                self.pump(1)
                time.sleep(0.01)
        touch.touch_up()
        self.pump(2)

    def type_digits(self, digits: str) -> None:
        """Digits on the on-screen keypad (not counted as touches: the brief's budget excludes them)."""
        before = self.touches
        # A keypad key changes only its own screen's properties (synchronously): no frame is needed
        # between two digits, one is drawn after the last.
        for d in digits:
            self.tap(f"key_{d}", frames=0)
        self.touches = before
        self.digits += len(digits)
        self.pump(1)  # what the last digit changed (a message gone, "Lanjut" back) is laid out

    def type_text(self, text: str) -> None:
        """Letters on the on-screen keyboard (typing, like the digits: not counted as touches)."""
        before = self.touches
        for ch in text:
            self.tap("kb_space" if ch == " " else f"kb_{ch}", frames=0)
        self.touches = before

    def press_key(self, text: str, enter: bool = True) -> None:
        """A keyboard-wedge reader: characters, then Enter."""
        for ch in text:
            self.window.dispatch("on_key_down", ord(ch), 0, ch, [])
            self.window.dispatch("on_textinput", ch)
        if enter:
            self.window.dispatch("on_key_down", 13, 40, None, [])
        self.pump(2)

    def advance(self, seconds: float) -> None:
        """Move the app's clock forward and let its timers look at it."""
        self.app.offset += seconds
        self.app.idle_tick()
        self.pump(2)

    # --- looking -------------------------------------------------------------------------------------
    def resize(self, width: int, height: int) -> None:
        self.window.size = (width, height)
        self.wait(lambda: tuple(self.window.size) == (width, height), 5, f"window {width}x{height}")
        for _ in range(6):  # the X server needs a moment before the new size is drawn
            self.pump(2)
            time.sleep(0.03)

    def screenshot(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        time.sleep(0.05)  # a pressed key stays "down" for Kivy's min_state_time: let it come up
        self.pump(3)
        written = self.window.screenshot(name=str(path))
        # Window.screenshot appends a counter to the name: put the file where it was asked for.
        Path(written).replace(path)
        return path

    def texts(self) -> list[str]:
        """Every text any widget holds: the window's tree, every screen (shown or not), open dialogs."""
        seen, out = set(), []
        roots = list(self.window.children) + list(self.app.sm.screens)
        for root in roots:
            for w in root.walk(restrict=False):
                if id(w) in seen:
                    continue
                seen.add(id(w))
                for attr in ("text", "shown", "summary", "detail", "name_text", "number", "reasons", "typed",
                             "day", "month", "year", "pin_shown", "question", "title", "info", "result"):
                    value = getattr(w, attr, None)  # deliberate: every text-showing property of any widget
                    if isinstance(value, str) and value:
                        out.append(value)
        return out


def _forget_previous_app() -> None:
    """kv's `app` is a proxy that caches the running app; a previous app of this process may still be
    cached there (an expression evaluated while it stopped), and `app.start_letter()` in a rule would
    then reach the stopped app. Point it at whatever runs now."""
    from kivy.lang.parser import global_idmap

    proxy = global_idmap.get("app")
    if proxy is not None:
        object.__setattr__(proxy, "_obj", None)


def visible(widget) -> bool:
    """Shown: no ancestor fully transparent, and bigger than a pixel (what a touch or an eye can find)."""
    w = widget
    while w is not None:
        if getattr(w, "opacity", 1) == 0:  # deliberate: the chain ends at the Window, which has none
            return False
        parent = w.parent
        if parent is w:
            break
        w = parent
    return widget.width > 1 and widget.height > 1
