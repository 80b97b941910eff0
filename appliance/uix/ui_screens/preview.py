from __future__ import annotations

from kivy.properties import StringProperty

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
        self.summary = "\n".join(f"[b]{_escape(k)}:[/b] {_escape(v)}" for k, v in rows)

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
