"""The letter choice: a tile per letter (picture, name, one whole line), as many per page as fit.

The rule (issue 15): every letter the village offers on one screen at 1280×800 and on two at 800×480, each
tile a touch target of ≥ 15 mm with its text at the resident's size, never cut. The columns and rows are
fitted from the text itself, measured at the size it is drawn (the larger-text switch too): a tile is as
wide as its longest name or line needs, as tall as its two lines, and the page buttons stand beside the
tiles where a row under them would cost a row of letters.
"""

from __future__ import annotations

from dataclasses import dataclass

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.widgets import Tile

# Every title starts with these words; on a tile they push the words that tell letters apart out of sight.
COMMON_PREFIXES = ("Surat Keterangan ", "Surat ", "Certificate of ", "Letter of ")
SIDE_MM = 27.0  # the page buttons' column: "Cancel" at 6 mm fits


def short_title(title: str) -> str:
    for prefix in COMMON_PREFIXES:
        if title.lower().startswith(prefix.lower()) and len(title) > len(prefix) + 3:
            rest = title[len(prefix):]
            return rest[0].upper() + rest[1:]
    return title


@dataclass(frozen=True)
class Fit:
    side: bool  # page buttons in a column beside the tiles (else in a row under them)
    cols: int
    rows: int
    pages: int


class TextMeasure:
    """Width and wrapped height of a text as Kivy draws it (the app's font), remembered per size."""

    def __init__(self):
        self._cache: dict = {}

    def size(self, text: str, font_size: float, bold: bool, width: float | None = None) -> tuple[float, float]:
        key = (text, round(font_size, 2), bold, None if width is None else round(width, 1))
        if key not in self._cache:
            from kivy.core.text import Label as CoreLabel

            label = CoreLabel(text=text, font_size=font_size, bold=bold,
                              text_size=(width, None) if width is not None else (None, None))
            label.refresh()
            self._cache[key] = tuple(label.texture.size) if label.texture else (0.0, 0.0)
        return self._cache[key]

    def longest_word(self, text: str, font_size: float, bold: bool) -> float:
        return max((self.size(w, font_size, bold)[0] for w in text.split()), default=0.0)


def fit_letters(texts: list[tuple[str, str]], n: int, area_w: float, area_h: float, th, measure: TextMeasure,
                side_w: float = 0.0) -> tuple[Fit, float]:
    """The arrangement with the fewest pages (then the fewest columns, then the buttons in a row): for each,
    the columns whose tiles hold every name and line without breaking a word, and the rows of the tallest
    tile. `area_*`: the room under the heading; `side_w`: the button column's width (0: no column).
    Returns the fit and the tile height."""
    gap, sp, target = th.gap, th.mm(LetterScreen.GRID_GAP_MM), th.target
    bottom = th.button if th.portrait else target
    chrome = th.mm(2 * Tile.PAD_MM + Tile.ICON_MM + Tile.SPACE_MM)
    vpad = th.mm(2 * Tile.VPAD_MM)
    best: tuple | None = None
    for side in ((False, True) if side_w > 0 else (False,)):
        gw = area_w - (side_w + gap if side else 0)
        gh = area_h - (0 if side else bottom + gap)
        for cols in range(1, 9):
            cw = (gw - (cols - 1) * sp) / cols
            text_w = cw - chrome
            if cw < target or text_w <= 0:
                break
            if any(measure.longest_word(name, th.body, True) > text_w
                   or measure.longest_word(line, th.body, False) > text_w for name, line in texts):
                break  # a word would be broken: fewer, wider columns
            tile_h = max(target, max((measure.size(name, th.body, True, text_w)[1]
                                      + (measure.size(line, th.body, False, text_w)[1] if line else 0)
                                      for name, line in texts), default=0) + vpad)
            rows = int((gh + sp) // (tile_h + sp))
            if rows < 1:
                continue
            pages = -(-n // (cols * rows))
            key = (pages, cols, side)
            if best is None or key < best[0]:
                best = (key, Fit(side, cols, rows, pages), tile_h)
    if best is None:  # nothing fits (a screen too small for one tile): one column, one row, every page
        return Fit(False, 1, 1, max(1, n)), target
    return best[1], best[2]


class LetterScreen(KScreen):
    """Big tiles with a picture, the letter's name and one whole line on what it is for; as many per page as
    fit (all at 1280×800, two pages at 800×480, for every letter in letters/)."""

    screen_name = "letter"
    GRID_GAP_MM = 2.2  # between tiles: the ≥ 2 mm between targets, and a row more on a 7" screen
    page = NumericProperty(0)
    pages = NumericProperty(1)
    cols = NumericProperty(2)
    per_page = NumericProperty(8)
    page_text = StringProperty("")
    side = BooleanProperty(False)
    side_width = NumericProperty(0)
    bottom_h = NumericProperty(0)  # the row under the tiles: two lines of "◀ Awal" upright

    def on_kv_post(self, base_widget):
        # The ids are weak references: the buttons moved between the row and the column are kept here.
        ids = self.ids
        self._nav = (ids.cancel.__self__, ids.prev.__self__, ids.next.__self__)
        self._bottom = ids.bottom.__self__
        self._spacer = Widget(size_hint_y=0.2)
        self._measure = TextMeasure()
        self._fitted: tuple | None = None

    def letters(self) -> list:
        """The letters the kiosk offers, in the village's fixed order (the unit decides which)."""
        return self.app.unit.templates()

    def fit(self) -> None:
        """Columns, rows and where the page buttons stand, from the room under the heading."""
        th, ids = self.app.th, self.ids
        outer, head = ids.outer, ids.head
        left, top, right, bottom = outer.padding
        area_w = outer.width - left - right
        area_h = outer.height - top - bottom - head.height - outer.spacing
        if area_w <= 0 or area_h <= 0:
            return
        templates = self.letters()
        texts = [self.tile_text(t) for t in templates]
        key = (round(area_w), round(area_h), th.body, tuple(texts))
        if key == self._fitted:
            return
        self._fitted = key
        self.side_width = self.side_column_width()
        self.bottom_h = th.button if th.portrait else th.target
        fit, _tile_h = fit_letters(texts, len(templates), area_w, area_h, th, self._measure, self.side_width)
        self.arrange(fit.side)
        if (fit.cols, fit.cols * fit.rows) != (self.cols, self.per_page):
            self.cols, self.per_page = fit.cols, fit.cols * fit.rows
        Clock.schedule_once(lambda dt: self.refresh(), 0)

    def side_column_width(self) -> float:
        """The column's width: SIDE_MM, or wider where a button's text needs it on one line (larger text)."""
        th, tr = self.app.th, self.app.tr
        need = max(self._measure.size(tr("ui.letter.first"), th.body, True)[0],
                   self._measure.size(tr("ui.letter.more_short"), th.body, True)[0],
                   self._measure.size(tr("ui.common.cancel"), th.label, True)[0])
        return max(th.mm(SIDE_MM), need + 2 * th.gap)

    def arrange(self, side: bool) -> None:
        """Page buttons and "Batal" in a column at the left (Batal at its foot) or in the row at the bottom."""
        ids = self.ids
        cancel, prev, nxt = self._nav
        for w in (cancel, prev, nxt, self._spacer):
            if w.parent is not None:
                w.parent.remove_widget(w)
        if side:
            if self._bottom.parent is not None:
                ids.outer.remove_widget(self._bottom)
            cancel.size_hint_x = 1
            for w in (prev, nxt, self._spacer, cancel):
                ids.side.add_widget(w)
        else:
            cancel.size_hint_x = None
            for w in (cancel, prev, nxt):
                self._bottom.add_widget(w)
            if self._bottom.parent is None:
                ids.outer.add_widget(self._bottom, index=0)
        self.side = side

    def refresh(self) -> None:
        app = self.app
        self.fit()  # the language or the text size may have changed since the grid last moved
        templates = self.letters()
        n = max(1, self.per_page)
        self.pages = max(1, -(-len(templates) // n))
        self.page = min(self.page, self.pages - 1)
        self.page_text = app.tr("ui.common.page", page=self.page + 1, pages=self.pages)
        grid = self.ids.grid
        grid.clear_widgets()
        # One page of letters: its rows are those it fills (big tiles); later pages keep the first's grid.
        rows = -(-min(n, len(templates)) // max(1, self.cols))
        for t in templates[self.page * n:(self.page + 1) * n]:
            title, line = self.tile_text(t)
            tile = Tile(name=f"letter_{t.code}", title=title, description=line, icon=t.code)
            tile.bind(on_release=lambda _b, code=t.code: app.choose_letter(code))
            grid.add_widget(tile)
        for _ in range(rows * self.cols - len(grid.children)):
            grid.add_widget(Widget())

    def tile_text(self, template) -> tuple[str, str]:
        """The tile's name and line from the catalog; a village's own letter without them: its title."""
        tr, code = self.app.tr, template.code
        name, line = tr(f"ui.letter.name.{code}"), tr(f"ui.letter.line.{code}")
        if name == f"ui.letter.name.{code}":
            name = short_title(localized(template, "title", self.app.lang))
        return name, ("" if line == f"ui.letter.line.{code}" else line)

    def spoken(self) -> str:
        names = [self.tile_text(t)[0] for t in
                 self.letters()[self.page * self.per_page:(self.page + 1) * self.per_page]]
        return self.app.tr("ui.speak.letter", letters=", ".join(names))

    def turn(self, delta: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + delta))
        self.refresh()
        self.app.assist.screen_shown(self)

    def clear(self) -> None:
        self.page = 0
