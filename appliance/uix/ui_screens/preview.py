from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from appliance.services.kiosk import Step, localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.ui_screens.confirm import masked_address


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


class PreviewScreen(KScreen):
    """What the letter will say, as large text (a picture of an A4 page is under 1 mm type on a 7" screen,
    and shows the whole NIK): the letter, who it is for (NIK masked), each answer in full, then "Cetak"."""

    screen_name = "preview"
    letter = StringProperty("")
    summary = StringProperty("")
    extra = StringProperty("")  # the label of a skipped optional free-text field ("Tambah keterangan")
    # The reading window (preview.kv): whole lines high, moved a whole line at a time.
    view_h = NumericProperty(100)
    line_h = NumericProperty(1)
    pad_v = NumericProperty(0)
    add_h = NumericProperty(0)  # "Tambah": a whole number of lines tall
    longer = BooleanProperty(False)  # more text than the window: the ▲ ▼ buttons show
    at_top = BooleanProperty(True)
    at_end = BooleanProperty(True)

    def refresh(self) -> None:
        app = self.app
        s = app.session
        if s.letter is None or s.resident is None:
            self.clear()
            return
        self.letter = localized(s.letter, "title", app.lang)
        rows = [(app.tr("ui.preview.name"), s.resident.nama), (app.tr("ui.preview.nik"), s.masked_nik)]
        address = masked_address(s.resident, app.tr)
        if address:
            rows.append((app.tr("ui.preview.address"), address))
        fields_screen = app.screen("fields")
        for spec in s.letter_fields():
            name = spec.name
            if name in s.fields and s.fields[name] not in (None, ""):
                # A family member is chosen by NIK: show the name the resident touched, never the NIK.
                shown = dict(fields_screen.choices_for(spec)).get(s.fields[name], s.fields[name])
                rows.append((localized(spec, "label", app.lang), shown))
        fields = s.letter_fields()
        last = fields[-1] if fields else None
        unanswered = last is not None and fields_screen.is_extra(last) and not s.fields.get(last.name)
        self.extra = localized(last, "label", app.lang) if last is not None and unanswered else ""
        days = s.letter.validity_days if s.letter is not None else 0  # every template has one (0: none)
        if days:
            rows.append((app.tr("ui.preview.valid"), app.tr("ui.preview.days", days=days)))
        self.summary = "\n".join([f"[b]{_escape(self.letter)}[/b]"]
                                 + [f"[b]{_escape(k)}:[/b] {_escape(v)}" for k, v in rows])
        self.ids.scroll.scroll_y = 1
        self.fit_view()

    # --- the reading window --------------------------------------------------------------------------
    def fit_view(self) -> None:
        """The window's height: as many whole lines as the room holds (all of them when they fit)."""
        from kivy.core.text import Label as CoreLabel

        th = self.app.th
        probe = CoreLabel(text="Ág", font_size=th.body)
        probe.refresh()
        line = max(1.0, float(probe.texture.size[1]))
        self.line_h, self.pad_v = line, th.mm(1)
        # "Tambah: …" as many whole lines as its words need at its width (three, upright with larger text).
        add = self.ids.add
        need = 0.0
        if add.text and add.width > th.gap:
            words = CoreLabel(text=add.text, font_size=float(add.font_size) / add.fit, bold=add.bold,
                              font_name=add.font_name, halign=add.halign, text_size=(add.width - th.gap, None))
            words.refresh()
            need = (words.texture.size[1] if words.texture is not None else 0) + 1.5 * th.gap
        self.add_h = line * max(2, int(-(-th.target // line)), int(-(-need // line)))
        content = self.ids.content.height
        room = self.ids.room.height
        lines_room = max(1, int((room - 2 * self.pad_v) // line))
        lines_text = max(1, round(content / line))
        lines = min(lines_room, lines_text)
        self.view_h = lines * line
        rest = lines_text - lines
        self.longer = rest > 0  # the text and "Tambah" are whole lines: every window starts on a line
        Clock.schedule_once(lambda dt: self.moved(), 0)

    def offset_lines(self) -> float:
        """How many lines the window has moved down from the top."""
        scroll = self.ids.scroll
        hidden = max(0.0, self.ids.content.height - scroll.height)
        return (1 - scroll.scroll_y) * hidden / self.line_h

    def moved(self) -> None:
        scroll = self.ids.scroll
        self.at_top = scroll.scroll_y >= 0.999 or not self.longer
        self.at_end = scroll.scroll_y <= 0.001 or not self.longer

    def scroll_to_line(self, n: float) -> None:
        scroll = self.ids.scroll
        hidden = max(0.0, self.ids.content.height - scroll.height)
        if hidden <= 0:
            scroll.scroll_y = 1
            return
        most = hidden / self.line_h
        n = max(0.0, min(most, round(n)))
        scroll.scroll_y = 1 - n * self.line_h / hidden
        self.moved()

    def snap(self) -> None:
        """After a swipe: to the nearest whole line."""
        self.scroll_to_line(self.offset_lines())

    def page_by(self, direction: int) -> None:
        """▲ / ▼: a window less one line, so the line read last stays in sight."""
        lines = max(1, round(self.ids.scroll.height / self.line_h) - 1)
        self.scroll_to_line(self.offset_lines() + direction * lines)

    def back(self) -> None:
        """"Kembali": to the last question the resident answered (past a skipped optional one)."""
        app = self.app
        session, fields_screen = app.session, app.screen("fields")
        session.back()
        while session.step == Step.FIELDS and fields_screen.is_extra(session.current_field()):
            session.back()
        app.show()

    def spoken(self) -> str:
        return self.app.tr("ui.speak.preview", letter=self.letter)

    def clear(self) -> None:
        self.letter = self.summary = self.extra = ""
