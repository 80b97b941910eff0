"""Sizes in millimetres of the real display, and colours checked for WCAG AAA contrast.

Why millimetres: the same kiosk runs on a 7" 800×480 panel, a 7" 720×1280 Touch Display 2 and 10"
1280×800 HDMI screens. A finger and an elderly eye do not care about pixels; a button must be ≥ 15 mm
and body text ≥ 6 mm on the glass. `Theme.px_mm` is pixels per millimetre, from the window's diagonal
in pixels and the display's diagonal in inches ([ui] display_diagonal_in, default 7: both official Pi
touch displays), and every kv rule sizes itself with `app.th.mm(…)`.
"""

from __future__ import annotations

import math

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

# (foreground, background) pairs the screens use; tests/ui checks each is ≥ 7:1.
COLORS = {
    "bg": "#FFFFFF",
    "text": "#111111",
    "muted": "#333333",
    "primary": "#0B3C8C",
    "primary_down": "#072A63",
    "go": "#085A1E",
    "go_down": "#053D14",
    "danger": "#8A1111",
    "danger_down": "#5E0B0B",
    "secondary": "#FFFFFF",
    "secondary_down": "#D0D0D0",
    "disabled": "#E0E0E0",
    "banner": "#FFE08A",
    "panel": "#EEF2F8",
    "on_dark": "#FFFFFF",
    "border": "#111111",
}
CONTRAST_PAIRS = [
    ("text", "bg"), ("muted", "bg"), ("on_dark", "primary"), ("on_dark", "primary_down"), ("on_dark", "go"),
    ("on_dark", "go_down"), ("on_dark", "danger"), ("on_dark", "danger_down"), ("text", "secondary"),
    ("text", "secondary_down"), ("muted", "disabled"), ("text", "banner"), ("text", "panel"), ("muted", "panel"),
    ("danger", "bg"), ("go", "bg"), ("primary", "bg"),  # error lines, the done title, the queue number
]

MIN_TARGET_MM = 15.0
LARGE_TEXT_SCALE = 1.25
# What "Huruf besar" grows: the reading sizes by the whole scale; headings by half as much, so a heading
# stays larger than the text under it without pushing a 7" screen's content off it; the NIK and keypad
# digits (11 mm) and the queue number are large already and stay.
TEXT_GROWTH = {"body": 1.0, "small": 1.0, "label": 1.0, "title": 0.5}
BODY_MM = 6.0


def rgba(name: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    value = COLORS[name].lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255, alpha)


def _luminance(hex_color: str) -> float:
    value = hex_color.lstrip("#")

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(value[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two colours given by name in COLORS or as #RRGGBB."""
    a, b = (_luminance(COLORS.get(c, c)) for c in (fg, bg))
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


SIZES_MM = {
    "target": MIN_TARGET_MM,  # the smallest touch target
    "button": 18.0,  # ordinary buttons
    "body": BODY_MM,  # body text
    "small": 6.0,  # secondary text (page numbers, status lines): still the 6 mm a resident must read
    "label": 6.5,  # button text
    "title": 7.5,  # screen titles
    "big": 11.0,  # the NIK, keypad digits
    "huge": 24.0,  # the queue number
    "gap": 2.5,  # between touch targets (>= 2 mm, so a finger meant for one never lands on two)
    "pad": 4.0,
}


class Theme(EventDispatcher):
    """kv rules bind to these properties (`app.th.body`), so a resize or rotation re-lays out everything."""

    px_mm = NumericProperty(5.2)
    portrait = BooleanProperty(False)
    # Narrow screens get one column where a wide one has two.
    compact = BooleanProperty(False)
    target = NumericProperty(0)
    button = NumericProperty(0)
    body = NumericProperty(0)
    small = NumericProperty(0)
    label = NumericProperty(0)
    title = NumericProperty(0)
    big = NumericProperty(0)
    huge = NumericProperty(0)
    gap = NumericProperty(0)
    pad = NumericProperty(0)
    # The resident's "larger text" switch: text grows, targets stay (they are already finger-sized).
    scale = NumericProperty(1.0)
    # The smallest type anything may shrink to, to fit its box, whatever the switch: the 6 mm rule.
    floor = NumericProperty(0)

    def __init__(self, diagonal_in: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.diagonal_in = float(diagonal_in or 0)
        self.update(800, 480)

    def diagonal(self, width: int, height: int) -> float:
        """The display's diagonal in inches: from the settings, else the Pi's 7" displays (800×480,
        720×1280) or a 10.1" HDMI touch screen (1280×800 and larger)."""
        if self.diagonal_in > 0:
            return self.diagonal_in
        return 7.0 if max(width, height) <= 800 or sorted((width, height)) == [720, 1280] else 10.1

    def update(self, width: int, height: int) -> None:
        self.px_mm = math.hypot(width, height) / (self.diagonal(width, height) * 25.4)
        self.portrait = height > width
        self.compact = self.portrait
        self._size()

    def _size(self) -> None:
        self.floor = BODY_MM * self.px_mm
        for name, value in SIZES_MM.items():
            grow = 1.0 + (self.scale - 1.0) * TEXT_GROWTH.get(name, 0.0)
            setattr(self, name, value * self.px_mm * grow)

    def on_scale(self, *_args) -> None:
        self._size()

    def mm(self, value: float) -> float:
        # For Python. A kv rule writes `app.th.px_mm * (…)`: kv re-evaluates on a property it names, and
        # a method call names none (a rule with app.th.mm(…) kept the size of the first screen).
        return value * self.px_mm

    def color(self, name: str, alpha: float = 1.0):
        return rgba(name, alpha)
