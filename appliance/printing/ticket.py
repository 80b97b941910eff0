"""A queue ticket as ESC/POS bytes: the village, a big number, date and time, how many wait before.

Rendered with python-escpos's `Dummy` printer (it only collects bytes) for the ticket printer's profile,
so the same code serves 58 and 80 mm printers.
"""

from __future__ import annotations

from datetime import datetime

from appliance.i18n import _

# Size multipliers for the number: as big as fits "999" on the paper with font A (12 dots per char).
NUMBER_SIZE = {58: 6, 80: 8}


def render_ticket(ticket, village, profile: str = "default", paper_mm: int = 80) -> bytes:
    from appliance.printing.escpos_dummy import Dummy  # collects bytes only; loads no device backend

    p = Dummy(profile=profile or "default")
    issued = datetime.fromisoformat(ticket.issued_at)
    size = NUMBER_SIZE.get(int(paper_mm), 6)
    p.hw("INIT")
    p.set_with_default(align="center", bold=True)
    p.textln(f"{village.sebutan_desa} {village.nama_desa}".upper())
    p.set_with_default(align="center")
    p.textln(f"{village.sebutan_kecamatan} {village.nama_kecamatan}")
    p.ln()
    p.textln(_("queue.ticket.title"))
    p.set_with_default(align="center", bold=True, custom_size=True, width=size, height=size)
    p.textln(f"{ticket.number:03d}")
    p.set(custom_size=True, width=1, height=1)  # GS ! 0: back to normal size explicitly
    p.set_with_default(align="center")
    p.ln()
    p.textln(_("queue.ticket.issued", date=issued.strftime("%d-%m-%Y"), time=issued.strftime("%H:%M")))
    if ticket.waiting_before:
        p.textln(_("queue.ticket.waiting", count=ticket.waiting_before))
    else:
        p.textln(_("queue.ticket.next"))
    p.ln()
    p.textln(_("queue.ticket.footer"))
    p.set_with_default()
    p.ln(2)
    p.cut()
    return p.output
