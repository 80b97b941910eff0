"""A small picture for each letter, drawn with Kivy canvas lines from data (no image files to ship).

A picture helps a resident who reads slowly find "the one with the house" again. Each icon is a list
of strokes in a unit square (0..1, y up): ("poly", [x, y, ...]) an open line, ("loop", [...]) a closed
one, ("circle", cx, cy, r). Letters without their own picture get the sheet of paper.
"""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Line
from kivy.properties import StringProperty
from kivy.uix.widget import Widget

from appliance.uix.theme import rgba

PAPER = [("loop", [0.22, 0.08, 0.78, 0.08, 0.78, 0.92, 0.22, 0.92]),
         ("poly", [0.32, 0.7, 0.68, 0.7]), ("poly", [0.32, 0.5, 0.68, 0.5]), ("poly", [0.32, 0.3, 0.55, 0.3])]
HOUSE = [("loop", [0.2, 0.1, 0.8, 0.1, 0.8, 0.55, 0.5, 0.85, 0.2, 0.55]),
         ("loop", [0.42, 0.1, 0.58, 0.1, 0.58, 0.38, 0.42, 0.38])]
SHOP = [("loop", [0.15, 0.1, 0.85, 0.1, 0.85, 0.55, 0.15, 0.55]),
        ("loop", [0.1, 0.55, 0.9, 0.55, 0.8, 0.85, 0.2, 0.85]),
        ("loop", [0.4, 0.1, 0.6, 0.1, 0.6, 0.35, 0.4, 0.35])]
PERSON = [("circle", 0.5, 0.7, 0.16), ("poly", [0.2, 0.1, 0.25, 0.35, 0.5, 0.45, 0.75, 0.35, 0.8, 0.1])]
FAMILY = [("circle", 0.32, 0.7, 0.12), ("circle", 0.7, 0.62, 0.1),
          ("poly", [0.1, 0.1, 0.15, 0.38, 0.32, 0.48, 0.49, 0.38, 0.54, 0.1]),
          ("poly", [0.52, 0.1, 0.56, 0.32, 0.7, 0.42, 0.84, 0.32, 0.88, 0.1])]
RINGS = [("circle", 0.38, 0.45, 0.2), ("circle", 0.62, 0.45, 0.2)]
SHIELD = [("loop", [0.5, 0.08, 0.82, 0.35, 0.82, 0.85, 0.5, 0.92, 0.18, 0.85, 0.18, 0.35]),
          ("poly", [0.35, 0.5, 0.47, 0.38, 0.67, 0.66])]
ENVELOPE = [("loop", [0.1, 0.2, 0.9, 0.2, 0.9, 0.8, 0.1, 0.8]), ("poly", [0.1, 0.8, 0.5, 0.45, 0.9, 0.8])]
SEARCH = [("circle", 0.42, 0.58, 0.25), ("poly", [0.6, 0.4, 0.88, 0.12])]
CARD = [("loop", [0.1, 0.22, 0.9, 0.22, 0.9, 0.78, 0.1, 0.78]), ("circle", 0.3, 0.52, 0.1),
        ("poly", [0.5, 0.6, 0.8, 0.6]), ("poly", [0.5, 0.42, 0.75, 0.42])]
ROAD = [("poly", [0.3, 0.08, 0.45, 0.92]), ("poly", [0.7, 0.08, 0.55, 0.92]),
        ("poly", [0.5, 0.15, 0.5, 0.3]), ("poly", [0.5, 0.45, 0.5, 0.6])]
COIN = [("circle", 0.5, 0.5, 0.36), ("poly", [0.6, 0.66, 0.42, 0.66, 0.4, 0.5, 0.6, 0.5, 0.6, 0.34, 0.4, 0.34])]
CROWD = [("circle", 0.25, 0.65, 0.1), ("circle", 0.5, 0.72, 0.1), ("circle", 0.75, 0.65, 0.1),
         ("poly", [0.1, 0.1, 0.9, 0.1]), ("poly", [0.15, 0.3, 0.85, 0.3])]
BABY = [("circle", 0.5, 0.62, 0.22), ("poly", [0.3, 0.1, 0.5, 0.3, 0.7, 0.1])]
FLOWER = [("circle", 0.5, 0.65, 0.14), ("poly", [0.5, 0.51, 0.5, 0.1]), ("poly", [0.5, 0.3, 0.7, 0.42])]
TWO_CARDS = [("loop", [0.1, 0.15, 0.6, 0.15, 0.6, 0.6, 0.1, 0.6]), ("loop", [0.4, 0.4, 0.9, 0.4, 0.9, 0.85, 0.4, 0.85])]

ICONS: dict[str, list[tuple[Any, ...]]] = {
    "PENGANTAR": ENVELOPE, "DOMISILI": HOUSE, "DOMISILI_USAHA": SHOP, "USAHA": SHOP, "SKTM": FAMILY,
    "SKCK": SHIELD, "BELUM_MENIKAH": RINGS, "PENDUDUK": PERSON, "KEHILANGAN": SEARCH, "KTP_PROSES": CARD,
    "BEPERGIAN": ROAD, "PENGHASILAN": COIN, "KERAMAIAN": CROWD, "KELAHIRAN": BABY, "KEMATIAN": FLOWER,
    "BEDA_IDENTITAS": TWO_CARDS,
}


class LetterIcon(Widget):
    """The picture of `code`, redrawn in the widget's square whenever it moves or resizes."""

    code = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, code=self._draw)

    def _draw(self, *_args) -> None:
        side = min(self.width, self.height)
        x0, y0 = self.center_x - side / 2, self.center_y - side / 2
        width = max(1.5, side * 0.05)

        def pts(seq):
            return [x0 + v * side if i % 2 == 0 else y0 + v * side for i, v in enumerate(seq)]

        self.canvas.clear()
        with self.canvas:
            Color(*rgba("primary"))
            for stroke in ICONS.get(self.code, PAPER):
                if stroke[0] == "circle":
                    _, cx, cy, r = stroke
                    Line(circle=(x0 + cx * side, y0 + cy * side, r * side), width=width)
                else:
                    Line(points=pts(stroke[1]), width=width, close=stroke[0] == "loop", joint="round", cap="round")
