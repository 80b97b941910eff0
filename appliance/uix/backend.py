"""The unit under its old name, for the tour (uix/tour.py) until it imports appliance.services.unit.

Nothing is built here: `Backend` IS `Unit`, the application layer's one place that opens the unit.
"""

from __future__ import annotations

from appliance.services.unit import UI_DEFAULTS, Unit

Backend = Unit
__all__ = ["UI_DEFAULTS", "Backend", "load_demo_residents"]


def load_demo_residents(unit: Unit, n: int = 200, seed: int = 1) -> int:
    return unit.load_demo_residents(n, seed)
