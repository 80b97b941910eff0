"""A clock a test sets by hand: the rules that take `clock=` (the verification guard, the session) are
tested without sleeping."""

from __future__ import annotations


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t
