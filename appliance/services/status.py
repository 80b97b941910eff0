"""The unit's state: ONE rule decides both the status light and the screen's banner (DESIGN §8).

    attention  a printer (any of them: the letter printer and the ticket printer alike) is out of paper,
               has its cover open or is offline; a job is kept after a failed attempt; a job failed (in
               doubt, refused) less than RECENT_FAILURE_S ago and needs a person; no printer is set up;
               or another part raised a flag (a USB stick waiting for the operator, a resident's call for help)
    working    a job is being printed (or waits its turn)
    ready      otherwise

Why one rule: the light and the banner used to be decided in two places and drifted (the kiosk showed
"ready" with the ticket printer out of paper). `unit_state()` is pure (time passed in) and tested;
`StatusIndicator` keeps a light and any listener (the screen) in step with a running PrinterSet. The
reason is a catalog key, so the banner is text in the reader's language. No gpiozero, no Kivy here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from appliance.printing.state import ATTENTION, JobState, PrinterState

if TYPE_CHECKING:
    from appliance.printing.printers import PrinterSet

RECENT_FAILURE_S = 600  # a failed job keeps the light on attention this long (or until retried/cancelled)
CANCELLED = "printing.job.cancelled"
NO_PRINTER = "ui.home.no_printer"
# Flags other parts raise; each is the catalog key of its banner.
USB_WAITING = "status.usb_waiting"
HELP_CALLED = "status.help_called"  # a resident pressed "Panggil petugas" (issue 15)


class Light(StrEnum):
    READY = "ready"
    WORKING = "working"
    ATTENTION = "attention"
    OFF = "off"


@dataclass(frozen=True)
class UnitState:
    """What the light shows and why: `reason` is the catalog key of the banner ("" = no banner)."""

    light: Light
    reason: str = ""
    params: Mapping[str, object] = field(default_factory=dict)


class JobView(Protocol):
    """What the rule reads of a spool job (appliance.printing.spool.Job)."""

    printer: str
    state: str
    error_key: str
    updated_at: float


def unit_state(printer_states: Iterable[PrinterState], jobs: Iterable[JobView], flags: Iterable[str] = (),
               now: float | None = None) -> UnitState:
    now = time.time() if now is None else now
    for state in printer_states:
        if state.status in ATTENTION:
            return UnitState(Light.ATTENTION, f"printing.status.{state.status}", {"name": state.name})
    jobs = list(jobs)
    for job in jobs:
        if job.state == JobState.PENDING and job.error_key:
            return UnitState(Light.ATTENTION, "status.job_kept", {"printer": job.printer})
        if job.state == JobState.FAILED and job.error_key != CANCELLED and now - job.updated_at < RECENT_FAILURE_S:
            return UnitState(Light.ATTENTION, "status.job_failed", {"printer": job.printer})
    for flag in sorted(flags):
        return UnitState(Light.ATTENTION, flag)
    if any(job.state in (JobState.PENDING, JobState.SENT) for job in jobs):
        return UnitState(Light.WORKING)
    return UnitState(Light.READY)


class LightOutput(Protocol):
    """The hardware light (appliance.hardware.light.Light): shows a light state."""

    def show(self, state: str) -> None: ...


class StatusIndicator:
    """Keeps `light` (if any) and the listeners showing unit_state() for `printers` (None: none set up).

    Printer and spool listeners call update() from their threads; listeners must hand over to their own
    thread (the screen does, through the Kivy clock)."""

    def __init__(self, printers: PrinterSet | None, light: LightOutput | None = None,
                 watch_printers: list[str] | None = None):
        self.printers = printers
        self.light = light
        self.watch = watch_printers
        self._flags: set[str] = set()
        self._listeners: list[Callable[[UnitState], object]] = []
        self._lock = threading.Lock()
        self._stopped = False
        if printers is not None:
            printers.add_state_listener(self._changed)
            printers.spool.add_listener(self._changed)
        self.update()

    def _changed(self, _what: object) -> None:
        self.update()

    def add_listener(self, listener: Callable[[UnitState], object]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[UnitState], object]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def set_flag(self, name: str, raised: bool) -> None:
        with self._lock:
            if raised:
                self._flags.add(name)
            else:
                self._flags.discard(name)
        self.update()

    def raise_flag(self, name: str) -> None:
        self.set_flag(name, True)

    def clear_flag(self, name: str) -> None:
        self.set_flag(name, False)

    def current(self) -> UnitState:
        with self._lock:
            flags = tuple(self._flags)
        if self.printers is None:
            return UnitState(Light.ATTENTION, NO_PRINTER)
        names = self.watch if self.watch is not None else self.printers.names()
        states = [self.printers.state(n) for n in names]
        jobs = self.printers.spool.jobs(states=(JobState.PENDING, JobState.SENT, JobState.FAILED))
        return unit_state(states, jobs, flags)

    def update(self) -> UnitState:
        if self._stopped:
            return UnitState(Light.OFF)
        state = self.current()
        if self.light is not None:
            self.light.show(state.light)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(state)
        return state

    def stop(self) -> None:
        self._stopped = True
        with self._lock:
            self._listeners.clear()
        if self.light is not None:
            self.light.show(Light.OFF)
