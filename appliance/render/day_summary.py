"""The operator's daily summary ("Ringkasan harian") as PDF (letter printer) or ESC/POS (ticket printer).

The paper carries the register's anchor for the village secretary to sign and file (issue 12): the code is
printed whole, in groups, large and on a line of its own so it can be read aloud and typed back exactly;
the entry count it covers is printed beside it. Both formats print the same lines (`summary_lines`), so
what the secretary files does not depend on which printer the unit has.
"""

from __future__ import annotations

import io
import textwrap

from appliance.i18n import _
from appliance.letters.words import tanggal
from appliance.render import escpos

# Kinds of line: the title, the village (bold), centred text under it, plain text, a rule, the anchor code (large), a blank
# line to sign on, the closing note.
TITLE, HEAD, SUB, TEXT, RULE, CODE, SIGN, NOTE = "title", "head", "sub", "text", "rule", "code", "sign", "note"
CENTRED = (TITLE, HEAD, SUB, CODE)


def summary_lines(summary) -> list[tuple[str, str]]:
    """(kind, text) in print order, from the catalog."""
    lines = [(TITLE, _("letters.summary.title")), (HEAD, summary.village), (SUB, summary.district),
             (SUB, tanggal(summary.day)), (RULE, ""),
             (TEXT, _("letters.summary.issued", n=summary.issued))]
    if summary.issued:
        lines += [(TEXT, _("letters.summary.first", number=summary.first)),
                  (TEXT, _("letters.summary.last", number=summary.last))]
    lines += [(RULE, ""), (HEAD, _("letters.register.anchor.title")), (CODE, summary.anchor.text),
              (TEXT, _("letters.summary.covers", count=summary.anchor.count)), (RULE, ""),
              (TEXT, _("letters.summary.secretary", secretary=summary.secretary)),
              (SIGN, _("letters.summary.sign_name")), (SIGN, _("letters.summary.sign_signature")),
              (SIGN, _("letters.summary.sign_date")), (NOTE, _("letters.register.anchor.sign", secretary=summary.secretary))]
    return lines


def render_day_summary(fmt: str, summary, profile: str = "default", paper_mm: int = 80) -> bytes:
    lines = summary_lines(summary)
    return _pdf(lines) if fmt == "pdf" else _escpos(lines, profile, paper_mm)


def _label_width(lines: list[tuple[str, str]]) -> int:
    """The signing lines' labels are padded to one width, so their colons line up."""
    return max(len(text) for kind, text in lines if kind == SIGN)


def _escpos(lines: list[tuple[str, str]], profile: str, paper_mm: int) -> bytes:
    prof = escpos.profile(profile or "default")
    cols = 32 if paper_mm < 70 else 48
    page = escpos.code_page_for([text for _kind, text in lines], prof)
    r = escpos.Receipt(prof, page or "CP437")
    label = _label_width(lines)
    for kind, text in lines:
        if kind == RULE:
            r.align("left")
            r.line("-" * cols)
            continue
        if kind == SIGN:
            r.align("left")
            r.line()
            r.line(f"{text.ljust(label)} : {'_' * max(8, cols - label - 3)}")
            continue
        strong = kind in (TITLE, HEAD, CODE)
        r.align("center" if kind in CENTRED else "left")
        if strong:
            r.bold(True)
        if kind == CODE:
            r.size(1, 2)  # twice as tall, not wider: the whole code stays on one line on 58 mm paper
        if page is None and not escpos.encodable(text, prof):
            r.image(escpos.text_image(text, prof.width_px or (384 if paper_mm < 70 else 576)))
        else:
            for chunk in textwrap.wrap(text, cols, break_long_words=True) or [""]:
                r.line(chunk)
        if kind == CODE:
            r.size(1, 1)
        if strong:
            r.bold(False)
    r.align("left")
    r.line()
    r.cut()
    return r.output


def _pdf(lines: list[tuple[str, str]]) -> bytes:
    """An A4 page in the letter fonts (every name prints as on the KTP)."""
    from reportlab.pdfgen.canvas import Canvas

    from appliance.render.letter_pdf import BOLD, PAPERS, REGULAR, mm, register_fonts, wrap

    register_fonts()
    page_w, page_h = PAPERS["A4"]
    left, room = 25 * mm, page_w - 45 * mm
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), invariant=True)
    c.setTitle(lines[0][1])
    y = page_h - 25 * mm
    style = {TITLE: (BOLD, 15), HEAD: (BOLD, 12), SUB: (REGULAR, 11), TEXT: (REGULAR, 11), CODE: (BOLD, 20), SIGN: (REGULAR, 11),
             NOTE: (REGULAR, 9)}
    for kind, text in lines:
        if kind == RULE:
            y -= 3 * mm
            c.line(left, y, left + room, y)
            y -= 5 * mm
            continue
        font, size = style[kind]
        if kind in (CODE, NOTE):
            y -= 4 * mm
        if kind == SIGN:
            y -= 10 * mm  # room to write by hand
            c.setFont(font, size)
            c.drawString(left, y, text)
            c.drawString(left + 32 * mm, y, ":")
            c.line(left + 36 * mm, y - 1, left + 120 * mm, y - 1)
            y -= size * 1.5
            continue
        c.setFont(font, size)
        for words, _end in wrap(text, font, size, room):
            line = " ".join(words)
            if kind in CENTRED:
                c.drawCentredString(left + room / 2, y, line)
            else:
                c.drawString(left, y, line)
            y -= size * 1.5
    c.showPage()
    c.save()
    return buf.getvalue()
