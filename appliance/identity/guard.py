"""Stopping guesses without handing anyone a way to close the kiosk (DESIGN §10, issue 12).

- Per NIK: five failed checks lock that NIK for 15 minutes, kept in the data folder so a restart does not
  reset it, and a clock set back does not lengthen it.
- Village-wide pacing instead of a pause: more than `global_max_failures` failures within
  `global_window_s` (someone trying many NIKs) means each further check waits `global_pace_s` after the
  last failure. The guesser is slowed to one try per pace, so locking many residents out takes hours in
  front of the kiosk; a resident at the kiosk waits at most one pace, never the whole window. (A pause for
  everyone, as before, let one person close the kiosk for the village with twenty wrong guesses.)

The file never holds a NIK: entries are keyed by keys.nik_key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from appliance.identity.keys import nik_key, unit_secret
from appliance.storage import steady as steady_clock
from appliance.storage.document import locked_document

GUARD_FILE = "kiosk_guard.json"
GUARD_DEFAULTS = {
    "lockout_attempts": 5,
    "lockout_minutes": 15,
    "global_max_failures": 20,
    "global_window_s": 600,
    "global_pace_s": 20,
}


@dataclass(frozen=True)
class Block:
    """Verification refused for now. `reason` is "nik_locked" or "rate_limited"."""

    reason: str
    retry_after_s: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after_s // 60))


class VerificationGuard:
    """Counts failed verifications per NIK (persisted) and across all NIKs (the village-wide pacing)."""

    def __init__(self, home: Path, settings_section: dict | None = None, clock=time.time, steady=None):
        conf = {**GUARD_DEFAULTS, **(settings_section or {})}
        self.path = Path(home) / GUARD_FILE
        self.attempts = int(conf["lockout_attempts"])
        self.lock_s = int(conf["lockout_minutes"]) * 60
        self.global_max = int(conf["global_max_failures"])
        self.global_window = int(conf["global_window_s"])
        self.pace_s = int(conf["global_pace_s"])
        self.clock = clock
        # Real elapsed time for the lock (a Pi 4's clock jumps at boot); a test's clock drives it unless given.
        self._steady = steady or (steady_clock.stamp if clock is time.time else steady_clock.following(clock))
        self._secret = unit_secret(home)

    def _global_block(self, doc: dict, now: float) -> Block | None:
        recent = [t for t in doc.get("global", []) if now - self.global_window < t <= now]
        doc["global"] = recent[-(self.global_max + 1):]  # only the newest matter; the file stays small
        if len(recent) >= self.global_max:
            wait = recent[-1] + self.pace_s - now
            if wait > 0:
                return Block("rate_limited", max(1, int(min(wait, self.pace_s) + 0.999)))
        return None

    def _nik_block(self, entry: dict | None, now: float) -> Block | None:
        if not entry:
            return None
        until = float(entry.get("locked_until", 0))
        if until <= 0:
            return None
        # A clock set back must not stretch the lock beyond its length: the real time since it began
        # counts too (same boot); across a reboot a clock behind the lock's start restarts it from now.
        elapsed = now - (until - self.lock_s)
        real = steady_clock.real_elapsed(entry.get("locked_steady"), self._steady())
        if real is not None:
            elapsed = max(elapsed, real)
        elif elapsed < 0:
            entry["locked_until"], entry["locked_steady"], elapsed = now + self.lock_s, self._steady(), 0.0
        if elapsed >= self.lock_s:
            return None
        return Block("nik_locked", max(1, int(self.lock_s - elapsed + 0.999)))

    def check(self, nik: str) -> Block | None:
        now = self.clock()
        with locked_document(self.path) as doc:
            return self._nik_block(doc.get("nik", {}).get(nik_key(self._secret, nik)), now) or self._global_block(
                doc, now
            )

    def failure(self, nik: str) -> Block | None:
        """Record one failed verification; the block it causes, if any."""
        now = self.clock()
        key = nik_key(self._secret, nik)
        with locked_document(self.path) as doc:
            niks = doc.setdefault("nik", {})
            entry = niks.setdefault(key, {"fails": 0, "locked_until": 0})
            entry["fails"] = int(entry.get("fails", 0)) + 1
            entry["last"] = now
            doc.setdefault("global", []).append(now)
            if entry["fails"] >= self.attempts:
                entry["fails"] = 0
                entry["locked_until"] = now + self.lock_s
                entry["locked_steady"] = self._steady()
            self._prune(niks, now)
            return self._nik_block(entry, now) or self._global_block(doc, now)

    def tries_left(self, nik: str) -> int:
        """Failed verifications this NIK may still have before it is locked (told to the resident)."""
        with locked_document(self.path) as doc:
            entry = doc.get("nik", {}).get(nik_key(self._secret, nik)) or {}
            return max(0, self.attempts - int(entry.get("fails", 0)))

    def success(self, nik: str) -> None:
        key = nik_key(self._secret, nik)
        with locked_document(self.path) as doc:
            niks = doc.get("nik", {})
            if key in niks and float(niks[key].get("locked_until", 0)) <= self.clock():
                del niks[key]

    def _prune(self, niks: dict, now: float) -> None:
        # Forget failures a day old that lock nothing, so the file stays small.
        for key in [k for k, e in niks.items() if e.get("locked_until", 0) <= now and now - e.get("last", 0) > 86400]:
            del niks[key]
