"""What a screen measures on the glass, in millimetres of the configured display (the tour's tour.json).

The rules it is checked against (DESIGN §10, issue 15): every text a resident reads ≥ 6 mm, every touch
target ≥ 15 mm with ≥ 2 mm between two targets. Measured on the widgets Kivy laid out, not on the kv
numbers, so a label that shrank to fit a word or a button squeezed by its neighbours is caught.

Text height is the type size (the em, as the 6 mm rule means it); a label with markup counts its
smallest `[size=…]`. Targets are the enabled buttons and tiles on the top-most layer (a dialog covers
what is under it); the gap between two is the shortest distance between their rectangles.
"""

from __future__ import annotations

import math
import re

from appliance.uix.driver import visible as _visible

_SIZE = re.compile(r"\[size=(\d+(?:\.\d+)?)\]")


def _rect(widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def _gap(a, b) -> float:
    dx = max(0.0, b[0] - a[2], a[0] - b[2])
    dy = max(0.0, b[1] - a[3], a[1] - b[3])
    return math.hypot(dx, dy)


def _text_px(label) -> float:
    size = float(label.font_size)
    if not getattr(label, "markup", False):  # deliberate: any text widget is measured, not all have markup
        return size
    sizes = [float(s) for s in _SIZE.findall(label.text)]
    rest = re.sub(r"\[size=[^\]]*\].*?\[/size\]", "", label.text, flags=re.S)
    if not sizes or re.sub(r"\[/?[a-z]+(=[^\]]*)?\]|\s", "", rest):
        sizes.append(size)  # some text is in the label's own size
    return min(sizes)


def measure(window, px_mm: float) -> dict:
    """Smallest text, smallest target and smallest gap on what the window shows now (mm)."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.modalview import ModalView

    texts: list[tuple[float, str]] = []
    roots = list(window.children)
    for root in roots:
        for w in root.walk(restrict=True):
            if isinstance(w, Label) and str(w.text).strip() and _visible(w):
                texts.append((_text_px(w) / px_mm, str(w.text)[:40]))
        if isinstance(root, ModalView):
            break  # a dialog hides (and blocks) the screen below
    top = roots[0] if roots else None
    targets = []
    if top is not None:
        for w in top.walk(restrict=True):
            if isinstance(w, ButtonBehavior) and _visible(w) and not w.disabled:
                targets.append((w, _rect(w)))
    # Deliberate getattr: any Kivy button may be measured; only ours carry a `name`.
    sizes = [(min(r[2] - r[0], r[3] - r[1]) / px_mm, getattr(w, "name", "")) for w, r in targets]
    gaps = []
    for i in range(len(targets)):
        for j in range(i + 1, len(targets)):
            gaps.append((_gap(targets[i][1], targets[j][1]) / px_mm,
                         f"{getattr(targets[i][0], 'name', '')}|{getattr(targets[j][0], 'name', '')}"))
    text = min(texts, default=(None, ""))
    target = min(sizes, default=(None, ""))
    gap = min(gaps, default=(None, ""))
    return {
        "min_text_mm": round(text[0], 2) if text[0] is not None else None, "min_text": text[1],
        "min_target_mm": round(target[0], 2) if target[0] is not None else None, "min_target": target[1],
        "min_gap_mm": round(gap[0], 2) if gap[0] is not None else None, "min_gap": gap[1],
        "targets": len(targets),
    }
