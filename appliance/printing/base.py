"""The printer interface. Like python-escpos's `Escpos` base class: one base, and each backend
implements one method per thing it must do differently:

    _deliver(job, data) -> remote id or None   hand the bytes of one job to the printer
    _read_status()      -> (status, detail)     ask the printer for its state (may be slow: the poller calls it)

and, only where the backend keeps its own queue (CUPS):

    _remote_status(remote) -> "pending"|"done"|"failed"   where a job we handed over is now
    _find_remote(job)      -> remote id or None           after a crash: did we already hand it over?

The base serialises access to the device (one connection at a time: cheap network printers accept
exactly one) and turns every surprise into a `PrinterError`, so neither the spool nor the poller can
be crashed by a backend.
"""

from __future__ import annotations

import abc
import logging
import threading

from appliance.printing.capabilities import BACKENDS
from appliance.printing.state import PrinterError, PrinterState

log = logging.getLogger(__name__)


class Printer(abc.ABC):
    backend = ""
    # True when `_deliver` leaves the job held in the backend's queue until `_release` (CUPS)
    two_phase = False
    # True when delivering the same job again leaves one copy (the `file` printer rewrites one file):
    # the spool may then let the "delivering" mark lag after a power cut (see printing/spool.py)
    redelivery_harmless = False

    def __init__(self, name: str, config: dict, home=None):
        self.name = name
        self.config = {**BACKENDS[self.backend]["defaults"], **config}
        self.home = home
        self.lock = threading.Lock()

    # --- what every backend implements ---------------------------------------------------------

    @abc.abstractmethod
    def _deliver(self, job, data: bytes) -> str | None:
        """Send `data` (already in a format this backend accepts) for `job`. Return the backend's own
        job id when the backend keeps a queue we should follow, else None (delivered = done).
        Raise PrinterError; set in_doubt=True when bytes may have reached the paper."""

    @abc.abstractmethod
    def _read_status(self) -> tuple[str, str]:
        """Return (status, detail), status one of state.STATUSES. Raise PrinterError("offline") when
        the printer cannot be reached."""

    # --- optional, for backends with their own queue ---------------------------------------------

    def _remote_status(self, remote: str) -> tuple[str, str]:
        return "done", ""

    def _find_remote(self, job) -> str | None:
        return None

    def _release(self, remote: str) -> None:
        """Let a job handed over held (two_phase) print. Backends without a queue have nothing to do."""
        log.debug("printer %s: %s needs no release", self.name, remote)

    # --- what the spool and the poller call ------------------------------------------------------

    @property
    def formats(self) -> frozenset[str]:
        return BACKENDS[self.backend]["formats"]

    @property
    def reads_status(self) -> bool:
        return bool(BACKENDS[self.backend]["reads_status"] and self.config.get("status", True))

    @property
    def tracks_jobs(self) -> bool:
        return bool(BACKENDS[self.backend]["tracks_jobs"])

    @property
    def finds_jobs(self) -> bool:
        return bool(BACKENDS[self.backend]["finds_jobs"])

    def describe(self) -> str:
        """Where the printer is, for `semenit printer list` (no secrets in printer settings)."""
        return self.backend

    def deliver(self, job, data: bytes) -> str | None:
        with self.lock:
            try:
                return self._deliver(job, data)
            except PrinterError:
                raise
            except Exception as exc:  # a backend library's own exception: never let it escape
                log.warning("printer %s: delivery failed: %r", self.name, exc)
                raise PrinterError("offline", repr(exc)) from exc

    def probe(self, blocking: bool = True) -> PrinterState | None:
        """Read the printer's state now. With blocking=False, None when a job holds the device."""
        if not self.lock.acquire(blocking=blocking):
            return None
        try:
            status, detail = self._read_status()
        except PrinterError as exc:
            status, detail = exc.status, exc.detail
        except Exception as exc:
            log.warning("printer %s: status read failed: %r", self.name, exc)
            status, detail = "offline", repr(exc)
        finally:
            self.lock.release()
        return PrinterState(self.name, status, detail)

    def remote_status(self, remote: str) -> tuple[str, str]:
        try:
            return self._remote_status(remote)
        except PrinterError as exc:
            return "pending", exc.detail
        except Exception as exc:
            return "pending", repr(exc)

    def release(self, remote: str) -> None:
        try:
            self._release(remote)
        except PrinterError:
            raise
        except Exception as exc:
            raise PrinterError("offline", repr(exc)) from exc

    def find_remote(self, job) -> str | None:
        try:
            return self._find_remote(job)
        except Exception as exc:
            log.warning("printer %s: cannot look for job %s: %r", self.name, job.id, exc)
            raise PrinterError("unknown", repr(exc)) from exc

    def cancel_remote(self, remote: str) -> None:
        """Withdraw a job from the backend's own queue (only CUPS has one)."""
        log.info("printer %s has no queue of its own; nothing to withdraw for %s", self.name, remote)

    def close(self) -> None:
        """Release the device. Backends open it per job, so there is nothing held between jobs."""
        log.debug("printer %s closed", self.name)
