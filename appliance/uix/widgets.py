"""The few widgets every screen is built from: big buttons, wrapped labels, the keypad, the hidden corner."""

from __future__ import annotations

import re

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    ListProperty,
    NumericProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from appliance.uix.theme import rgba

ROLES = ("primary", "go", "danger", "secondary")
_MARKUP = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")


# A token longer than this (a folder path, a letter number) is left to wrap by character rather than
# shrinking the whole text to fit it.
LONGEST_FITTED = 16
# KButton.refit's answers: the same text in the same box on every visit costs one layout, not one a visit.
_FITTED: dict[tuple, float] = {}


def _longest_word(text: str, markup: bool) -> int:
    text = _MARKUP.sub("", text) if markup else text
    return min(LONGEST_FITTED, max((len(w) for w in text.split()), default=1))


def lines_kept(w: float, h: float | None, **options) -> tuple[int, int]:
    """(lines Kivy draws in a w×h box, lines the text has at width w). Kivy drops a line that does not
    fit a box of fixed height, and it wants more room than the lines' own height for the last one (three
    lines of 37 px were cut to two in a 140 px box): so the box is tried, not the lines' heights added."""
    from kivy.core.text import Label as CoreLabel
    from kivy.core.text.markup import MarkupLabel

    counts = []
    for size in ((w, None), (w, h)):
        core = (MarkupLabel if options.get("markup") else CoreLabel)(text_size=size, **options)
        core.refresh()
        # Deliberate private read: Kivy keeps the laid-out lines there and has no public count of them.
        counts.append(sum(1 for line in core._cached_lines if line.words))
    return counts[1], counts[0]


class KLabel(Label):
    """Wrapped text that takes the height it needs; its type shrinks (from max_font) only as far as the
    longest word needs to fit the width, so no word is ever broken across lines."""

    max_font = NumericProperty(0)
    longest_word = AliasProperty(lambda self: _longest_word(self.text, self.markup), None, bind=("text", "markup"))


class KButton(ButtonBehavior, Label):
    """A big flat button. `role` picks the colours; `name` identifies it for the tour driver."""

    role = OptionProperty("primary", options=ROLES)
    name = StringProperty("")

    def __init__(self, **kwargs):
        # A size given here is the largest the kv rule may use (it still shrinks to fit the longest word).
        if "font_size" in kwargs:
            kwargs["max_font"] = kwargs.pop("font_size")
        super().__init__(**kwargs)
        self._watch_fit()

    def _get_fill(self):
        if self.disabled:
            return rgba("disabled")
        base = self.role
        return rgba(f"{base}_down" if self.state == "down" else base)

    fill = AliasProperty(_get_fill, None, bind=("role", "state", "disabled"))

    def _get_ink(self):
        if self.disabled:
            return rgba("muted")
        return rgba("text") if self.role == "secondary" else rgba("on_dark")

    ink = AliasProperty(_get_ink, None, bind=("role", "disabled"))

    # The kv rule shrinks the type (down from max_font) until the longest word fits the button: a word
    # broken in two ("Kembal / i") is what a first-time reader stumbles on.
    max_font = NumericProperty(0)

    longest_word = AliasProperty(lambda self: _longest_word(self.text, self.markup), None, bind=("text", "markup"))
    # How much smaller than its usual size the text is drawn so that all its lines fit the button (1: not).
    fit = NumericProperty(1.0)
    min_font = NumericProperty(0)  # the smallest it may shrink to (0: the resident's 6 mm, Theme.floor)
    # Rows in a list (size_hint_y None): the button takes the height its lines need at its full type size,
    # never less than a target, instead of shrinking its type. A long row grows; nothing is cut.
    grow = BooleanProperty(False)
    FITS = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6, 0.55, 0.5)

    def _watch_fit(self) -> None:
        self._refit = Clock.create_trigger(self.refit, -1)
        self.fbind("text", self._refit)
        self.fbind("size", self._refit)
        self.fbind("max_font", self._refit)
        self.fbind("min_font", self._refit)
        self.fbind("font_size", self._refit)  # the larger-text switch: refit from the new size
        self.fbind("grow", self._refit)

    def refit(self, *_args) -> None:
        """The largest `fit` at which the text's lines fit the button's height (never under the 6 mm floor):
        a label that needs one line more than its box drops a line in Kivy, silently."""
        from kivy.core.text import Label as CoreLabel

        app = App.get_running_app()
        w, h = self.text_size
        if app is None or not self.text or w is None or h is None or w <= 1 or h <= 1:
            self.fit = 1.0
            return
        base = float(self.font_size) / self.fit
        if self.grow:
            self._grow(app, w, base)
            return
        floor = float(self.min_font or app.th.floor)
        key = (self.text, self.markup, self.bold, round(base, 1), round(w), round(h), round(floor, 1))
        if key in _FITTED:
            self.fit = _FITTED[key]
            return
        chosen = 1.0
        for factor in self.FITS:
            size = max(floor, base * factor)
            options = dict(text=self.text, markup=self.markup, font_size=size, bold=self.bold, halign=self.halign,
                           valign=self.valign, font_name=self.font_name)
            core = CoreLabel(text_size=(w, None), **options)
            core.refresh()
            chosen = size / base if base else 1.0
            if size <= floor:
                break
            # Its lines' height fits (with the 0.2 em a line keeps under its letters) and Kivy draws them all.
            if core.texture is None or (core.texture.size[1] <= h + 0.2 * size
                                        and lines_kept(w, h, **options)[0] >= len(core._cached_lines)):
                break
        if len(_FITTED) > 2000:  # a bound: texts with counters ("Selesai (12)") never repeat
            _FITTED.clear()
        _FITTED[key] = self.fit = chosen


    def _grow(self, app, width: float, size: float) -> None:
        """`grow`: the type stays at its size; the height follows the lines at this width (as many more
        lines of room as Kivy wants before it draws them all: lines_kept)."""
        from kivy.core.text import Label as CoreLabel

        options = dict(text=self.text, markup=self.markup, font_size=size, bold=self.bold, halign=self.halign,
                       valign=self.valign, font_name=self.font_name)
        core = CoreLabel(text_size=(width, None), **options)
        core.refresh()
        lines = max(1, sum(1 for line in core._cached_lines if line.words))  # private: see lines_kept
        text_h = core.texture.size[1] if core.texture is not None else 0
        for _ in range(4):  # bounded: one more line of room at a time
            if lines_kept(width, text_h, **options)[0] >= lines:
                break
            text_h += text_h / lines
        self.fit = 1.0
        self.height = max(app.th.target, text_h + app.th.gap)


class ReadingRoom(BoxLayout):
    """The stretch of a screen that holds a text which may be longer than the room (larger text on a 7"
    screen): all of it where it fits, else a window of whole lines that scrolls, its bar in sight, so that
    the heading above and the buttons below never give way and no line is shown cut in half.

    Children a kv rule adds after the text (a progress bar, a spacer) keep their heights; the text's window
    takes what is left (widgets.kv)."""

    text = StringProperty("")
    label_name = StringProperty("")  # the text's `name`, for the tour driver and the tests
    color = ListProperty([0, 0, 0, 1])
    view_h = NumericProperty(0)

    def on_kv_post(self, base_widget) -> None:
        self._fit = Clock.create_trigger(self.fit, -1)
        self.fbind("size", self._fit)
        self.fbind("spacing", self._fit)
        self.ids.text.fbind("height", self._fit)
        for child in self.children:
            child.fbind("height", self._fit)

    def add_widget(self, widget, *args, **kwargs):
        super().add_widget(widget, *args, **kwargs)
        if hasattr(self, "_fit"):  # added after the rules ran: its height counts too
            widget.fbind("height", self._fit)
            self._fit()

    def fit(self, *_args) -> None:
        from kivy.core.text import Label as CoreLabel

        label, scroll = self.ids.text, self.ids.scroll
        scroll.scroll_y = 1  # a new text, a new room: read from the first line
        others = [c for c in self.children if c != scroll]  # (ids are weak proxies: `is not` never matches)
        room = self.height - sum(c.height for c in others if c.size_hint_y is None) - self.spacing * len(others)
        if label.height <= room:
            self.view_h = label.height
            return
        probe = CoreLabel(text="Ág", font_size=label.font_size, font_name=label.font_name,
                          line_height=label.line_height)
        probe.refresh()
        line = max(1.0, float(probe.texture.size[1]))
        self.view_h = max(line, (room // line) * line)


class Tile(ButtonBehavior, BoxLayout):
    """A big button with a bold title and a plain one-line description under it (letters, files)."""

    title = StringProperty("")
    description = StringProperty("")
    name = StringProperty("")
    icon = StringProperty("")  # a letter code: its picture (appliance.uix.icons); "" for none
    role = OptionProperty("secondary", options=ROLES)
    # Millimetres (widgets.kv): the side padding, the top and bottom padding, the picture, picture to text.
    PAD_MM, VPAD_MM, ICON_MM, SPACE_MM = 1.2, 0.4, 8.0, 1.2

    def _get_fill(self):
        return rgba("secondary_down" if self.state == "down" else "secondary")

    fill = AliasProperty(_get_fill, None, bind=("state",))


class Keypad(GridLayout):
    """Digits 1–9, 0 and one "Hapus" (one digit back), plain like the digits: red is "Batal", in the same
    place on every step. No "clear all" key: it was mistaken for "Batal". Dispatches on_key("0".."9" | "back")."""

    first_col = NumericProperty(0)  # the "Hapus" column's width (widgets.kv)

    __events__ = ("on_key",)

    def on_key(self, key):
        pass

    def on_touch_down(self, touch):
        # Only inside its own box: a keypad collapsed to nothing (the print-code screen once the code is
        # shown) keeps keys laid out beyond it, and a disabled key there swallowed the touch meant for "Selesai".
        if not self.collide_point(*touch.pos):
            return False
        return super().on_touch_down(touch)


class HoldCorner(Widget):
    """An invisible square in a corner: held for `hold_s` it dispatches on_hold (the operator gesture).

    It reads time from the app's clock (`app.now`) so the tour driver can hold it without waiting."""

    hold_s = NumericProperty(3.0)
    held = BooleanProperty(False)
    __events__ = ("on_hold",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._t0 = None
        self._ev = None

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return False
        touch.grab(self)
        self._t0 = App.get_running_app().now()
        self._ev = Clock.schedule_interval(self._check, 0.05)
        return False  # the screen below still sees the touch (nothing there, but keep it honest)

    def _check(self, _dt):
        if self._t0 is not None and App.get_running_app().now() - self._t0 >= self.hold_s:
            self._cancel()
            self.dispatch("on_hold")

    def on_touch_up(self, touch):
        if touch.grab_current is self:
            touch.ungrab(self)
            self._cancel()
        return False

    def _cancel(self):
        self._t0 = None
        if self._ev is not None:
            self._ev.cancel()
            self._ev = None

    def on_hold(self):
        pass
