"""The slow hash (argon2id, the operator PIN's parameters) and why it runs for every check.

If the slow hash ran only for NIKs that have a PIN, a wrong PIN would take ~170 ms for a resident and ~1 ms
for an unknown NIK, and a stopwatch would list who lives in the village. So `verify()` always runs exactly
one slow verification: against the stored digest, or against a dummy digest made once per process with the
same parameters. `calls` counts them, so a test can show the work is the same for every kind of NIK
without timing anything.
"""

from __future__ import annotations

import os
import threading

from appliance.services.operator import hash_secret, verify_secret


class SlowHasher:
    def __init__(self):
        self.calls = 0
        self._dummy: str | None = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Make the dummy digest now (at start-up), so the first unknown NIK costs no more than any other."""
        if self._dummy is None:
            with self._lock:
                if self._dummy is None:
                    self._dummy = hash_secret(os.urandom(16).hex())

    def hash(self, secret: str) -> str:
        return hash_secret(secret)

    def verify(self, digest: str | None, secret: str) -> bool:
        """One slow verification whatever `digest` is; True only for a real digest that matches."""
        self.warm()
        with self._lock:
            self.calls += 1
        ok = verify_secret(digest or self._dummy, secret)
        return ok and bool(digest)


HASHER = SlowHasher()
