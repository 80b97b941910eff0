"""The unit's printers: built from settings, polled in the background, fed by one spool.

    printers = open_printers(settings, home)
    printers.state("thermal")            # never blocks: the poller's last answer
    job = printers.spool.submit(kind="ticket", content={"escpos": data}, ref="A-012")

Settings, one table per printer (the table name is the printer's name):

    [printers.thermal]
    backend = "network"          # file | cups | network | serial | usb | device
    host = "192.168.1.50"
    port = 9100
    profile = "TM-T88V"          # a python-escpos profile
    paper_mm = 80
    role = ["ticket"]            # which jobs it takes by default: letter, ticket

    [printing]                   # the spool and the poller
    poll_s = 3.0

With no [printers] table at all there is one `file` printer named "file" writing into home/printed/.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from appliance.config import Settings
from appliance.errors import SemenitError
from appliance.printing.base import Printer
from appliance.printing.capabilities import BACKENDS, DEFAULT_PAPER_MM, DEFAULT_ROLES, profile_info
from appliance.printing.spool import DEFAULTS as SPOOL_DEFAULTS
from appliance.printing.spool import Spool
from appliance.printing.state import BLOCKING, PrinterState

log = logging.getLogger(__name__)

DEFAULT_PRINTERS = {"file": {"backend": "file"}}
PRINTING_DEFAULTS = {"poll_s": 3.0, "poll_attention_s": 1.0, **SPOOL_DEFAULTS}


class PrintingConfigError(SemenitError):
    """A [printers.*] table the technician must fix (the message says which and how)."""


def build_printer(name: str, table: dict, home: Path) -> Printer:
    backend = str(table.get("backend", "")).strip()
    if backend not in BACKENDS:
        raise PrintingConfigError("printing.error.bad_backend", name=name, backend=backend or "-",
                                  choices=", ".join(BACKENDS))
    module_name, class_name = BACKENDS[backend]["module"].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    config = {k: v for k, v in table.items() if k not in ("backend", "role")}
    unknown = sorted(set(config) - set(BACKENDS[backend]["defaults"]))
    if unknown:
        raise PrintingConfigError("printing.error.bad_key", name=name, keys=", ".join(unknown))
    return cls(name, config, home=home)


class PrinterSet:
    def __init__(self, settings: Settings, home: Path, start: bool = True):
        self.home = Path(home)
        tables = settings.section("printers", {})
        if not tables:
            tables = DEFAULT_PRINTERS
        self.conf = settings.section("printing", PRINTING_DEFAULTS)
        self._printers: dict[str, Printer] = {}
        self._roles: dict[str, tuple[str, ...]] = {}
        for name, table in tables.items():
            if not isinstance(table, dict):
                raise PrintingConfigError("printing.error.not_a_table", name=name)
            printer = build_printer(name, table, self.home)
            self._printers[name] = printer
            role = table.get("role", DEFAULT_ROLES[printer.backend])
            self._roles[name] = tuple([role] if isinstance(role, str) else role)
        self._states = {name: PrinterState(name, "unknown", "not checked yet") for name in self._printers}
        self._state_lock = threading.Lock()
        self._state_listeners: list[Callable[[PrinterState], None]] = []
        self._stop = threading.Event()
        self._pollers: list[threading.Thread] = []
        self.spool = Spool(
            self.home,
            self._printers,
            self.default_for,
            settings={k: self.conf[k] for k in SPOOL_DEFAULTS},
            on_result=self._on_result,
            state_of=self.state,
            start=start,
        )
        if start:
            for name in self._printers:
                t = threading.Thread(target=self._poll, args=(name,), name=f"printer-poll-{name}", daemon=True)
                t.start()
                self._pollers.append(t)

    # --- the contract -------------------------------------------------------------------------------

    def names(self) -> list[str]:
        return list(self._printers)

    def printer(self, name: str) -> Printer:
        try:
            return self._printers[name]
        except KeyError:
            raise PrintingConfigError("printing.error.unknown_printer", name=name) from None

    def roles(self, name: str) -> tuple[str, ...]:
        return self._roles[self.printer(name).name]

    def default_for(self, kind: str) -> str | None:
        """The first printer (in settings order) whose role includes `kind`; for any other kind (a
        test page) the first printer."""
        for name, roles in self._roles.items():
            if kind in roles:
                return name
        if kind not in ("letter", "ticket") and self._printers:
            return next(iter(self._printers))
        return None

    def formats(self, name: str) -> set[str]:
        return set(self.printer(name).formats)

    def escpos_profile(self, name: str) -> tuple[str, int]:
        """(python-escpos profile name, paper width in mm: 58 or 80) for rendering ESC/POS content."""
        printer = self.printer(name)
        profile = str(printer.config.get("profile") or "default")
        paper = int(printer.config.get("paper_mm") or 0)
        if not paper:
            mm = profile_info(profile)["paper_mm"]
            paper = DEFAULT_PAPER_MM if mm is None else (58 if mm < 70 else 80)
        return profile, paper

    def state(self, name: str) -> PrinterState:
        """The last known state (never blocks; "unknown" until the first poll answers)."""
        with self._state_lock:
            state = self._states.get(name)
        return state if state is not None else PrinterState(name, "unknown", "no such printer")

    def states(self) -> list[PrinterState]:
        return [self.state(n) for n in self._printers]

    def refresh(self, name: str) -> PrinterState:
        """Ask the printer now (blocks for at most the backend's timeout): for the CLI and self-test."""
        state = self.printer(name).probe(blocking=True)
        self._set_state(state)
        return state

    def add_state_listener(self, fn: Callable[[PrinterState], None]) -> None:
        """fn(state) whenever a printer's status changes (called from a poller thread)."""
        with self._state_lock:
            self._state_listeners.append(fn)

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.spool.close(timeout)
        for t in self._pollers:
            t.join(timeout=0.1)
        for printer in self._printers.values():
            try:
                printer.close()
            except Exception:
                log.exception("closing printer %s", printer.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- internals ------------------------------------------------------------------------------------

    def _set_state(self, state: PrinterState) -> None:
        with self._state_lock:
            before = self._states.get(state.name)
            self._states[state.name] = state
            listeners = list(self._state_listeners) if before is None or before.status != state.status else []
        if before is not None and before.status != state.status:
            log.info("printer %s: %s -> %s %s", state.name, before.status, state.status, state.detail)
            if state.status not in BLOCKING:
                self.spool.wake(state.name)
        for fn in listeners:
            try:
                fn(state)
            except Exception:
                log.exception("printer state listener %r failed", fn)

    def _on_result(self, name: str, status: str, detail: str) -> None:
        self._set_state(PrinterState(name, status, detail))

    def _poll(self, name: str) -> None:
        printer = self._printers[name]
        while not self._stop.is_set():
            state = printer.probe(blocking=False)  # None while a job holds the device
            if state is not None:
                self._set_state(state)
            current = self.state(name)
            interval = self.conf["poll_attention_s"] if current.blocking else self.conf["poll_s"]
            self._stop.wait(float(interval))


def open_printers(settings: Settings | None = None, home: Path | None = None, start: bool = True) -> PrinterSet:
    """The unit's printers from its settings (see this module's docstring).

    start=False: no poller and no resumed jobs (for listing the printers); a job submitted still prints."""
    from appliance import paths

    return PrinterSet(settings if settings is not None else Settings.load(), Path(home) if home else paths.home(), start)


def wait_for_state(printers: PrinterSet, name: str, predicate: Callable[[PrinterState], bool], timeout: float) -> PrinterState:
    """Wait (bounded) until the poller reports a state matching `predicate`."""
    deadline = time.monotonic() + timeout
    state = printers.state(name)
    while not predicate(state) and time.monotonic() < deadline:
        time.sleep(0.05)
        state = printers.state(name)
    return state
