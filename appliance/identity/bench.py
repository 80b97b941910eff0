"""`make bench` figures for identification: the median time of a failed PIN check for an unknown NIK, a NIK
without a PIN and a NIK with one, and their spread (slowest / fastest). The spread near 1.0 is what keeps
a stopwatch from telling who lives in the village; the tests count slow-hash calls instead of timing."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from appliance.identity.guard import VerificationGuard
from appliance.identity.pins import ResidentPins
from appliance.identity.service import Identity

TRIES = 15


def measure(store, home: Path, tries: int = TRIES) -> dict:
    people = [r for r in (store.get(n) for n in _niks(store, 2)) if r is not None]
    holder, pinless = people[0], people[1]
    pins = ResidentPins(home)
    pins.set(holder.nik, "4826")
    guard = VerificationGuard(home, {"lockout_attempts": 10 ** 6, "global_max_failures": 10 ** 6})
    identity = Identity(store, guard, "pin", pins)
    cases = {"identify_unknown_s": "3404130101990009", "identify_pinless_s": pinless.nik,
             "identify_pin_s": holder.nik}
    times: dict[str, list[float]] = {key: [] for key in cases}
    for _ in range(tries):  # interleaved, so a busy moment of the machine falls on every case alike
        for key, nik in cases.items():
            start = time.perf_counter()
            identity.identify(nik, "pin", "0000")
            times[key].append(time.perf_counter() - start)
    pins.remove(holder.nik)
    out = {key: statistics.median(values) for key, values in times.items()}
    out["identify_spread"] = max(out.values()) / min(out.values())
    return out


def _niks(store, count: int) -> list[str]:
    out = []
    for resident in store:
        if resident.present:
            out.append(resident.nik)
        if len(out) == count:
            break
    return out
