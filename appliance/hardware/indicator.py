"""What the status light should show, from the printers' states and the spool's jobs (DESIGN §8).

    attention  a printer is out of paper, has its cover open or is offline; a job is kept after a
               failed attempt; a job failed and needs a person; or another part raised a flag
               (e.g. an import waiting for the operator)
    working    a job is being printed (or waits its turn)
    ready      otherwise

`light_state()` is a pure function (the CLI reports it in --json; the screen's simulated light uses it);
`StatusIndicator` keeps a light in step with a running PrinterSet. No gpiozero here.
"""

from __future__ import annotations

import threading
import time

from appliance.printing.state import ATTENTION

RECENT_FAILURE_S = 600  # a failed job keeps the light on attention this long (or until retried/cancelled)


def light_state(printer_states, jobs, flags=(), now: float | None = None) -> str:
    now = time.time() if now is None else now
    if flags:
        return "attention"
    if any(s.status in ATTENTION for s in printer_states):
        return "attention"
    for job in jobs:
        if job.state == "pending" and job.error_key:
            return "attention"
        if job.state == "failed" and job.error_key != "printing.job.cancelled" and now - job.updated_at < RECENT_FAILURE_S:
            return "attention"
    if any(job.state in ("pending", "sent") for job in jobs):
        return "working"
    return "ready"


class StatusIndicator:
    """Keeps `light` showing light_state() for `printers`; flags from other parts via raise_flag()."""

    def __init__(self, printers, light, watch_printers: list[str] | None = None):
        self.printers = printers
        self.light = light
        self.watch = watch_printers
        self._flags: set[str] = set()
        self._lock = threading.Lock()
        self._stopped = False
        printers.add_state_listener(lambda _state: self.update())
        printers.spool.add_listener(lambda _job: self.update())
        self.update()

    def raise_flag(self, name: str) -> None:
        with self._lock:
            self._flags.add(name)
        self.update()

    def clear_flag(self, name: str) -> None:
        with self._lock:
            self._flags.discard(name)
        self.update()

    def current(self) -> str:
        names = self.watch if self.watch is not None else self.printers.names()
        states = [self.printers.state(n) for n in names]
        jobs = self.printers.spool.jobs(states=("pending", "sent", "failed"))
        with self._lock:
            flags = tuple(self._flags)
        return light_state(states, jobs, flags)

    def update(self) -> str:
        if self._stopped:
            return "off"
        state = self.current()
        self.light.show(state)
        return state

    def stop(self) -> None:
        self._stopped = True
        self.light.show("off")
