"""The queue button, with our own debounce.

gpiozero's bounce_time is done by the pin library (and MockFactory ignores it), so we debounce here, in
one place that tests can exercise: a press counts only if the button had been released, steadily, for
at least `bounce_ms` before it. A contact that chatters on press or on release therefore gives exactly
one press, and a second real press after a real release counts.

Presses are counted at once and handed to a worker thread that calls `on_press` one at a time, so a
slow handler (allocating a number, submitting a ticket) never makes the pin callback lose a press.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Debouncer:
    """Edge logic without any hardware: feed it press/release times, it says which presses count."""

    def __init__(self, bounce_s: float):
        self.bounce_s = max(0.0, bounce_s)
        self.last_release: float | None = None
        self.pressed = False

    def press(self, t: float) -> bool:
        if self.pressed:
            return False
        self.pressed = True
        return self.last_release is None or t - self.last_release >= self.bounce_s

    def release(self, t: float) -> None:
        self.pressed = False
        self.last_release = t


class QueueButton:
    def __init__(self, pin: int, factory, on_press: Callable[[], object] | None, bounce_ms: float = 50,
                 pull_up: bool = True):
        from gpiozero import Button

        self.on_press = on_press
        self.debouncer = Debouncer(bounce_ms / 1000.0)
        self.accepted = 0  # presses that counted
        self.handled = 0  # presses on_press has finished with
        self._lock = threading.Lock()
        self._presses: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(target=self._work, name="queue-button", daemon=True)
        self._worker.start()
        self.button = Button(pin, pull_up=pull_up, bounce_time=None, pin_factory=factory)
        self.button.when_pressed = self._pressed
        self.button.when_released = self._released

    def _pressed(self) -> None:
        with self._lock:
            if not self.debouncer.press(time.monotonic()):
                return
            self.accepted += 1
        self._presses.put(time.time())

    def _released(self) -> None:
        with self._lock:
            self.debouncer.release(time.monotonic())

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                self._presses.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                if self.on_press is not None:
                    self.on_press()
            except Exception:
                log.exception("queue button handler failed")
            finally:
                with self._lock:
                    self.handled += 1

    def simulate_press(self) -> bool:
        """Press and release a mock button (the desktop's Q key), through the pin like a finger would,
        so the debounce and the worker run as on a unit. False on real GPIO: nothing to press there."""
        from gpiozero.pins.mock import MockPin

        pin = self.button.pin
        if not isinstance(pin, MockPin):
            return False
        pin.drive_low()
        pin.drive_high()
        return True

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every counted press has been handled (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.handled >= self.accepted:
                    return True
            time.sleep(0.005)
        return False

    def close(self) -> None:
        self.wait_idle(2.0)
        self._stop.set()
        self._worker.join(1.0)
        self.button.close()
