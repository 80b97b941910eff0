"""A queue ticket as ESC/POS bytes: the village, a big number, date and time, how many wait before.

Built with the shared receipt builder (appliance.render.escpos) for the ticket printer's profile, so the
same code serves 58 and 80 mm printers and no printer transport is imported.
"""

from __future__ import annotations

from datetime import datetime

from appliance.i18n import _
from appliance.render import escpos

# Size multipliers for the number: as big as fits "999" on the paper with font A (12 dots per char).
NUMBER_SIZE = {58: 6, 80: 8}


def render_ticket(ticket, village, profile: str = "default", paper_mm: int = 80) -> bytes:
    prof = escpos.profile(profile or "default")
    issued = datetime.fromisoformat(ticket.issued_at)
    size = NUMBER_SIZE.get(int(paper_mm), 6)
    lines = [f"{village.sebutan_desa} {village.nama_desa}".upper(),
             f"{village.sebutan_kecamatan} {village.nama_kecamatan}", _("queue.ticket.title"),
             _("queue.ticket.issued", date=issued.strftime("%d-%m-%Y"), time=issued.strftime("%H:%M")),
             _("queue.ticket.waiting", count=ticket.waiting_before) if ticket.waiting_before
             else _("queue.ticket.next"), _("queue.ticket.footer")]
    r = escpos.Receipt(prof, escpos.code_page_for(lines, prof) or "CP437")
    r.align("center")
    r.bold(True)
    r.line(lines[0])
    r.bold(False)
    r.line(lines[1])
    r.line()
    r.line(lines[2])
    r.bold(True)
    r.size(size, size)
    r.line(f"{ticket.number:03d}")
    r.size(1, 1)
    r.bold(False)
    r.line()
    r.line(lines[3])
    r.line(lines[4])
    r.line()
    r.line(lines[5])
    r.align("left")
    r.line()
    r.line()
    r.cut()
    return r.output
