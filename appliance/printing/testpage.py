"""The printer test page (`semenit printer test`, the operator menu's printer test)."""

from __future__ import annotations

import io
import time

from appliance.i18n import _


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
    from escpos.capabilities import get_profile

    from appliance.printing.escpos_dummy import Dummy

    p = Dummy(profile=profile or "default")
    p.hw("INIT")
    p.set_with_default(align="center", bold=True, double_height=True, double_width=True)
    p.textln("SEMENIT")
    p.set_with_default(align="center")
    for line in lines:
        p.textln(line)
    p.textln(f"{profile} / {paper_mm} mm")
    p.textln("-" * (32 if paper_mm < 70 else 48))
    if get_profile(profile or "default").supports("qrCode"):
        p.qr("SEMENIT TEST", native=True, size=6)  # native: cheap printers choke on QR images
    p.set_with_default()
    p.ln(2)
    p.cut()
    return p.output
