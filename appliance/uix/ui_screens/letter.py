from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty

from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.widgets import Tile

# Every title starts with these words; on a tile they push the words that tell letters apart out of sight.
COMMON_PREFIXES = ("Surat Keterangan ", "Surat ", "Certificate of ", "Letter of ")


def short_title(title: str) -> str:
    for prefix in COMMON_PREFIXES:
        if title.lower().startswith(prefix.lower()) and len(title) > len(prefix) + 3:
            rest = title[len(prefix):]
            return rest[0].upper() + rest[1:]
    return title


def short_description(text: str) -> str:
    """"Menerangkan bahwa Anda …" on every tile says nothing: start with what differs."""
    for prefix in ("Menerangkan bahwa ", "Menerangkan ", "States that ", "Certifies that "):
        if text.lower().startswith(prefix.lower()) and len(text) > len(prefix) + 3:
            rest = text[len(prefix):]
            return rest[0].upper() + rest[1:]
    return text


class LetterScreen(KScreen):
    """Big tiles, most-used first, paged; each with a one-line plain description."""

    screen_name = "letter"
    page = NumericProperty(0)
    pages = NumericProperty(1)
    page_text = StringProperty("")

    def per_page(self) -> int:
        return int(self.app.unit.ui_conf.get("letters_per_page", 4))

    def refresh(self) -> None:
        app = self.app
        templates = app.unit.templates()
        n = self.per_page()
        self.pages = max(1, -(-len(templates) // n))
        self.page = min(self.page, self.pages - 1)
        self.page_text = app.tr("ui.common.page", page=self.page + 1, pages=self.pages)
        grid = self.ids.grid
        grid.clear_widgets()
        for t in templates[self.page * n:(self.page + 1) * n]:
            title = short_title(localized(t, "title", app.lang))
            desc = short_description(localized(t, "description", app.lang))
            tile = Tile(name=f"letter_{t.code}", title=title, description=desc)
            tile.bind(on_release=lambda _b, code=t.code: app.choose_letter(code))
            grid.add_widget(tile)
        for _ in range(n - len(grid.children)):
            from kivy.uix.widget import Widget

            grid.add_widget(Widget())

    def turn(self, delta: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + delta))
        self.refresh()

    def clear(self) -> None:
        self.page = 0

