from __future__ import annotations

import io
import shutil
import subprocess

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, StringProperty

from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen

PREVIEW_DPI = 40


def rasterize(pdf: bytes, dpi: int = PREVIEW_DPI) -> bytes | None:
    """The first page of a PDF as PNG bytes (poppler's pdftoppm through pipes: no file holds the letter)."""
    exe = shutil.which("pdftoppm")
    if not exe or not pdf:
        return None
    proc = subprocess.run([exe, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", "-"],
                          input=pdf, capture_output=True, timeout=20, check=False)
    return proc.stdout if proc.returncode == 0 and proc.stdout.startswith(b"\x89PNG") else None


class PreviewScreen(KScreen):
    """The actual letter (a draft: no number is taken) beside what it says, then "Cetak"."""

    screen_name = "preview"
    summary = StringProperty("")
    status = StringProperty("")
    loading = BooleanProperty(False)

    def refresh(self) -> None:
        app = self.app
        s = app.session
        if s.letter is None or s.resident is None:
            self.clear()
            return
        lines = [localized(s.letter, "title", app.lang), s.resident.nama]
        fields_screen = app.screen("fields")
        for spec in s.letter_fields():
            name = spec.name
            if name in s.fields:
                # A family member is chosen by NIK: show the name the resident touched, never the NIK.
                shown = dict(fields_screen.choices_for(spec)).get(s.fields[name], s.fields[name])
                lines.append(f"{localized(spec, 'label', app.lang)}: {shown}")
        self.summary = "\n".join(lines)
        if self.ids.page.texture is None and not self.loading:
            self._render()

    def _render(self) -> None:
        app = self.app
        s = app.session
        unit = app.unit
        code, nik, fields = s.letter.code, s.nik, s.fields
        self.loading = True
        self.status = app.tr("ui.preview.loading")

        # Enough pixels for the page to be sharp in its box (F4 is 13 inches tall), no more.
        dpi = int(max(30, min(110, self.ids.page.height / 13)))

        def work():
            return rasterize(unit.render_preview(code, nik, fields), dpi)

        def done(png):
            self.loading = False
            if png is None:
                self.status = app.tr("ui.preview.no_image")
                return
            self.ids.page.texture = CoreImage(io.BytesIO(png), ext="png").texture
            self.status = ""

        def fail(exc):
            self.loading = False
            self.status = app.tr("ui.preview.no_image")

        app.background(work, done=done, fail=fail)

    def clear(self) -> None:
        self.summary = self.status = ""
        self.loading = False
        if "page" in self.ids:
            self.ids.page.texture = None
