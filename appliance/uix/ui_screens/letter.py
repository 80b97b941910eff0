from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.widget import Widget

from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.widgets import Tile

# Every title starts with these words; on a tile they push the words that tell letters apart out of sight.
COMMON_PREFIXES = ("Surat Keterangan ", "Surat ", "Certificate of ", "Letter of ")
TILE_MM = 17.0  # a tile holds its name and one line under it, at 6 mm


def short_title(title: str) -> str:
    for prefix in COMMON_PREFIXES:
        if title.lower().startswith(prefix.lower()) and len(title) > len(prefix) + 3:
            rest = title[len(prefix):]
            return rest[0].upper() + rest[1:]
    return title


class LetterScreen(KScreen):
    """Big tiles with a picture, the letter's name and one whole line on what it is for; as many per page as
    fit in millimetres (all at 1280×800, two pages at 800×480)."""

    screen_name = "letter"
    page = NumericProperty(0)
    pages = NumericProperty(1)
    cols = NumericProperty(2)
    per_page = NumericProperty(8)
    page_text = StringProperty("")

    def letters(self) -> list:
        """The letters the kiosk offers, in the village's fixed order (the unit decides which)."""
        return self.app.unit.templates()

    def fit(self) -> None:
        """Tiles per page from the grid's height: rows of TILE_MM, one column upright, two across."""
        th = self.app.th
        grid = self.ids.grid
        cols = 1 if th.portrait else 2
        rows = max(1, int((grid.height + th.gap) // (th.mm(TILE_MM) * th.scale + th.gap)))
        if (cols, rows * cols) != (self.cols, self.per_page):
            self.cols, self.per_page = cols, rows * cols
            Clock.schedule_once(lambda dt: self.refresh(), 0)

    def refresh(self) -> None:
        app = self.app
        templates = self.letters()
        n = max(1, self.per_page)
        self.pages = max(1, -(-len(templates) // n))
        self.page = min(self.page, self.pages - 1)
        self.page_text = app.tr("ui.common.page", page=self.page + 1, pages=self.pages)
        grid = self.ids.grid
        grid.clear_widgets()
        for t in templates[self.page * n:(self.page + 1) * n]:
            title, line = self.tile_text(t)
            tile = Tile(name=f"letter_{t.code}", title=title, description=line, icon=t.code)
            tile.bind(on_release=lambda _b, code=t.code: app.choose_letter(code))
            grid.add_widget(tile)
        for _ in range(n - len(grid.children)):
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
