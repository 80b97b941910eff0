"""The printer test page (`semenit printer test`, the operator menu's printer test): PDF or ESC/POS."""

from __future__ import annotations

import io
import time

from appliance.i18n import _
from appliance.render import escpos


def render_test_page(fmt: str, printer: str, profile: str = "default", paper_mm: int = 80) -> bytes:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    lines = [_("printing.test.title"), _("printing.test.printer", name=printer), stamp, _("printing.test.ok")]
    if fmt == "pdf":
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=A4)
        c.setTitle(lines[0])
        y = 780
        for i, line in enumerate(lines):
            c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 16 if i == 0 else 12)
            c.drawString(72, y, line)
            y -= 24
        c.rect(72, y - 200, 451, 200)  # a frame shows the printable area is where it should be
        c.showPage()
        c.save()
        return buf.getvalue()
    prof = escpos.profile(profile or "default")
    r = escpos.Receipt(prof, escpos.code_page_for(lines, prof) or "CP437")
    r.align("center")
    r.bold(True)
    r.size(2, 2)
    r.line("SEMENIT")
    r.size(1, 1)
    r.bold(False)
    for line in lines:
        r.line(line)
    r.line(f"{profile} / {paper_mm} mm")
    r.line("-" * (32 if paper_mm < 70 else 48))
    if prof.native_qr:
        r.qr_native("SEMENIT TEST", 6)  # native: cheap printers choke on QR images
        r.line()
    r.align("left")
    r.line()
    r.line()
    r.cut()
    return r.output
