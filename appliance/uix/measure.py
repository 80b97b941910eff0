"""What a screen measures on the glass, in millimetres of the configured display (the tour's tour.json).

The rules it is checked against (DESIGN §10, issue 15): every text a resident reads ≥ 6 mm, every touch
target ≥ 15 mm with ≥ 2 mm between two targets. Measured on the widgets Kivy laid out, not on the kv
numbers, so a label that shrank to fit a word or a button squeezed by its neighbours is caught.

Text height is the type size (the em, as the 6 mm rule means it); a label with markup counts its
smallest `[size=…]`. Targets are the enabled buttons and tiles on the top-most layer (a dialog covers
what is under it); the gap between two is the shortest distance between their rectangles.

"Cut" (`cut` in tour.json) is any text a resident would see incompletely: more lines than its box holds, a
word broken across lines, a text outside the window, or two texts drawn over each other. It is measured by
laying the text out again at its own size in its own width (Kivy's CoreLabel), not by comparing kv numbers.
Text in a scroll view is exempt from the window check (it scrolls; the screen's own test checks how), not
from its own box: a row in a scrolling list must hold its lines.
"""

from __future__ import annotations

import math
import re

from appliance.uix.driver import visible as _visible
from appliance.uix.widgets import LONGEST_FITTED, lines_kept

_SIZE = re.compile(r"\[size=(\d+(?:\.\d+)?)\]")


def _rect(widget) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def _shown_rect(widget):
    """The part of a widget a finger can reach: inside every scroll view around it (None: scrolled away)."""
    from kivy.uix.scrollview import ScrollView

    x0, y0, x1, y1 = _rect(widget)
    w = widget.parent
    while w is not None and w is not w.parent:
        if isinstance(w, ScrollView):
            sx0, sy0, sx1, sy1 = _rect(w)
            x0, y0, x1, y1 = max(x0, sx0), max(y0, sy0), min(x1, sx1), min(y1, sy1)
            if x1 - x0 < 1 or y1 - y0 < 1:
                return None
        w = w.parent
    return x0, y0, x1, y1


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


_MARKUP = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")
_SLACK = 2.0  # px: rounding between a texture and its box


def _laid_out(label, width: float | None, text: str | None = None) -> tuple[float, float]:
    from kivy.core.text import Label as CoreLabel
    from kivy.core.text.markup import MarkupLabel

    # Markup ([b], [size=…]) is laid out as the label draws it, not as its raw characters.
    marked = bool(label.markup) and text is None
    core = (MarkupLabel if marked else CoreLabel)(
        text=label.text if text is None else text, font_size=label.font_size, bold=label.bold,
        italic=label.italic, font_name=label.font_name, line_height=label.line_height, markup=marked,
        text_size=(width, None), halign=label.halign)
    core.refresh()
    return tuple(core.texture.size) if core.texture else (0.0, 0.0)


def _in_scroll(widget) -> bool:
    from kivy.uix.scrollview import ScrollView

    w = widget.parent
    while w is not None and w is not w.parent:
        if isinstance(w, ScrollView):
            return True
        w = w.parent
    return False


def _cut_reason(label, window) -> str:
    """Why this label's text is not wholly seen ("" when it is)."""
    text = str(label.text)
    tw, th_ = label.text_size
    avail_w = tw if tw is not None else label.width
    plain = _MARKUP.sub("", text) if label.markup else text
    for word in plain.split():
        # A letter number or a folder path is meant to wrap by character (widgets.LONGEST_FITTED).
        if len(word) <= LONGEST_FITTED and _laid_out(label, None, word)[0] > avail_w + _SLACK:
            return f"word {word!r} broken"
    # A scroll view moves its content, not the lines inside a row: a row's box is checked there too.
    avail_h = th_ if th_ is not None else label.height
    need_h = _laid_out(label, avail_w)[1]
    # A line's box holds ~0.2 em under the letters (descenders, leading): ink still fits that far.
    if need_h > avail_h + max(_SLACK, 0.2 * float(label.font_size)):
        return f"needs {need_h:.0f} px, has {avail_h:.0f}"
    if th_ is not None:
        # Kivy drops a line a box of fixed height cannot take, by a rule of its own: ask it.
        kept, total = lines_kept(avail_w, th_, text=text, markup=bool(label.markup), font_size=label.font_size,
                                 bold=label.bold, italic=label.italic, font_name=label.font_name,
                                 line_height=label.line_height, halign=label.halign, valign=label.valign)
        if kept < total:
            return f"draws {kept} of {total} lines"
    if not _in_scroll(label):
        x0, y0, x1, y1 = _rect(label)
        if x0 < -_SLACK or y0 < -_SLACK or x1 > window.width + _SLACK or y1 > window.height + _SLACK:
            return "outside the window"
    return ""


def cut_texts(window) -> list[str]:
    """Every text on the top-most layer that is cut, broken or drawn over another (see the module's rule)."""
    from kivy.uix.label import Label
    from kivy.uix.modalview import ModalView

    roots = list(window.children)
    labels = []
    for root in roots:
        labels += [w for w in root.walk(restrict=True)
                   if isinstance(w, Label) and str(w.text).strip() and _visible(w)]
        if isinstance(root, ModalView):
            break
    out = [f"{str(w.text)[:30]!r}: {why}" for w in labels if (why := _cut_reason(w, window))]
    # Two texts over each other: their drawn text (not their boxes: a label may be taller than its text).
    inked = []
    for w in labels:
        if _in_scroll(w):
            continue
        tw, th_ = w.texture_size
        x0, y0, _x1, _y1 = _rect(w)
        cx, cy = x0 + w.width / 2, y0 + w.height / 2
        inked.append((w, (cx - tw / 2, cy - th_ / 2, cx + tw / 2, cy + th_ / 2)))
    for i in range(len(inked)):
        for j in range(i + 1, len(inked)):
            (a, ra), (b, rb) = inked[i], inked[j]
            ox = min(ra[2], rb[2]) - max(ra[0], rb[0])
            oy = min(ra[3], rb[3]) - max(ra[1], rb[1])
            if ox > _SLACK and oy > _SLACK:
                out.append(f"{str(a.text)[:20]!r} over {str(b.text)[:20]!r}")
    return out


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
                rect = _shown_rect(w)
                if rect is not None:
                    targets.append((w, rect))
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
        "cut": cut_texts(window)[:6],
    }
