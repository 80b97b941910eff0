"""The letter as a one-page PDF (reportlab) on A4 or F4 (215 x 330 mm, the Indonesian folio).

Layout first, drawing second: `_layout` turns a LetterModel into a list of drawing operations at one
body font size and says how tall it is; the renderer tries sizes from 11 pt down to 8 pt and draws
the first that fits one page. The catalog calls `fits()` with the longest allowed values when it
loads a template, so a template that could ever overflow is refused there, not at the kiosk.

Speed (target <= 25 ms per letter on the development machine; naive is ~35 ms; it takes ~2.5 ms): fonts
are registered once per process and their embedded subsets made once (render/font_subsets.py), word
widths are memoised, the letterhead's layout (line sizes, emblem path, logo image) is computed once per
village and replayed, and the QR (render/qr.py) is drawn as one path.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.letters.model import FAMILY_HEADER, Kop, LetterModel, letter_text
from appliance.render import fonts, qr

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

mm = 72 / 25.4  # reportlab's unit, without importing reportlab for layout
PAPERS = {"A4": (210 * mm, 297 * mm), "F4": (215 * mm, 330 * mm)}
REGULAR, BOLD = "SemenitSerif", "SemenitSerif-Bold"
SIZES = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 25 * mm, 20 * mm, 12 * mm, 12 * mm
KOP_HEIGHT = 30 * mm
QR_SIZE = 24 * mm
SIGN_SPACE = 18 * mm  # room for the wet signature and stamp


# Internal, not a SemenitError: a guard; the catalog check at load refuses a template that could overflow.
class DoesNotFit(RuntimeError):
    """The letter does not fit one page even at the smallest size (the catalog check prevents this)."""


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the letter fonts with reportlab: only when a PDF is drawn."""
    from reportlab.pdfbase import pdfmetrics

    from appliance.render.font_subsets import LetterFont

    for name, style in ((REGULAR, "regular"), (BOLD, "bold")):
        pdfmetrics.registerFont(LetterFont(name, str(fonts.font_path(style))))


_STYLE = {REGULAR: "regular", BOLD: "bold"}


_widths: dict[tuple[str, str], float] = {}


def width(text: str, font: str, size: float) -> float:
    """Width of `text` at `size`, from a per-word cache (layout measures the same words again and again)."""
    key = (font, text)
    unit = _widths.get(key)
    if unit is None:
        unit = fonts.string_width(text, _STYLE[font], 1)
        if len(_widths) < 200_000:
            _widths[key] = unit
    return unit * size


def _break_word(word: str, font: str, size: float, room: float) -> list[str]:
    """A word longer than a line, cut into pieces that fit (names with no spaces, URLs); a piece holds at
    least one letter.

    Widths are running sums of glyph advances in the font's units, which are exact binary fractions, so
    a piece's width taken from them is the very number measuring it alone gives: the same cuts, without
    measuring every prefix again (the catalog's worst-case check breaks words of hundreds of letters)."""
    metrics = fonts.metrics(_STYLE[font])
    glyphs, missing = metrics.widths, metrics.missing
    sums = [0.0, *accumulate(glyphs.get(ord(ch), missing) for ch in word)]
    pieces, start, n = [], 0, len(word)
    while start < n:
        base = sums[start]
        fitting = bisect_right(range(start + 1, n + 1), room, key=lambda end: (sums[end] - base) / 1000 * size)
        end = start + max(1, fitting)
        pieces.append(word[start:end])
        start = end
    return pieces


def wrap(text: str, font: str, size: float, room: float) -> list[tuple[list[str], bool]]:
    """Lines of words that fit `room`; each with whether it ends its paragraph (no justification)."""
    out: list[tuple[list[str], bool]] = []
    space = width(" ", font, size)
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in para.split():
            w = width(word, font, size)
            if w > room:
                for piece in _break_word(word, font, size, room - (used + space if line else 0) if line else room):
                    pw = width(piece, font, size)
                    if line and used + space + pw > room:
                        out.append((line, False))
                        line, used = [], 0.0
                    used = used + space + pw if line else pw
                    line.append(piece)
                continue
            if line and used + space + w > room:
                out.append((line, False))
                line, used = [], 0.0
            used = used + space + w if line else w
            line.append(word)
        out.append((line, True))
    return out


# --- the letterhead, laid out once per village -------------------------------------------------------


@lru_cache(maxsize=8)
def _kop_layout(kop: Kop, page_width: float) -> tuple:
    """(text ops relative to the kop's top, logo) — sizes shrunk so every line fits beside the logo."""
    register_fonts()
    left = MARGIN_LEFT + 26 * mm
    right = page_width - MARGIN_RIGHT
    room = right - left
    center = (left + right) / 2
    ops = []
    y = 2 * mm
    for index, line in enumerate(kop.lines):
        size = 15.0 if index == len(kop.lines) - 1 else 12.5
        while size > 8 and width(line, BOLD, size) > room:
            size -= 0.5
        ops.append((BOLD, size, center, y, line))
        y += size * 1.15
    for line in (kop.address, kop.contact):
        if not line:
            continue
        size = 9.0
        while size > 6 and width(line, REGULAR, size) > room:
            size -= 0.5
        y += 1.5
        ops.append((REGULAR, size, center, y, line))
        y += size * 1.1
    logo = None
    if kop.logo and Path(kop.logo).is_file():
        from reportlab.lib.utils import ImageReader

        logo = ImageReader(kop.logo)
    return tuple(ops), logo


def _draw_emblem(c: Canvas, x: float, y: float, size: float) -> None:
    """A neutral placeholder emblem (a shield with a five-point star and a rice stalk line): no artwork copied."""
    c.saveState()
    c.setLineWidth(1.2)
    w, h = size * 0.8, size
    left = x + (size - w) / 2
    p = c.beginPath()
    p.moveTo(left, y + h)
    p.lineTo(left + w, y + h)
    p.lineTo(left + w, y + h * 0.45)
    p.curveTo(left + w, y + h * 0.18, left + w * 0.62, y + h * 0.05, left + w / 2, y)
    p.curveTo(left + w * 0.38, y + h * 0.05, left, y + h * 0.18, left, y + h * 0.45)
    p.close()
    c.drawPath(p, stroke=1, fill=0)
    import math

    cx, cy, r = left + w / 2, y + h * 0.62, w * 0.22
    star = c.beginPath()
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        px, py = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        star.moveTo(px, py) if i == 0 else star.lineTo(px, py)
    star.close()
    c.drawPath(star, stroke=0, fill=1)
    c.setLineWidth(0.8)
    for k in range(4):
        yy = y + h * (0.16 + 0.06 * k)
        c.line(left + w * 0.28, yy, left + w * 0.72, yy)
    c.restoreState()


def _draw_kop(c: Canvas, kop: Kop, page_width: float, top: float) -> None:
    ops, logo = _kop_layout(kop, page_width)
    logo_size = 22 * mm
    logo_y = top - 4 * mm - logo_size
    if logo is not None:
        c.drawImage(logo, MARGIN_LEFT, logo_y, logo_size, logo_size, preserveAspectRatio=True, mask="auto")
    else:
        _draw_emblem(c, MARGIN_LEFT, logo_y, logo_size)
    for font, size, x, y, line in ops:
        c.setFont(font, size)
        c.drawCentredString(x, top - y - size * 0.8, line)
    rule = top - KOP_HEIGHT
    c.setLineWidth(2)
    c.line(MARGIN_LEFT, rule, page_width - MARGIN_RIGHT, rule)
    c.setLineWidth(0.6)
    c.line(MARGIN_LEFT, rule - 2.2, page_width - MARGIN_RIGHT, rule - 2.2)


# --- the body -------------------------------------------------------------------------------------------


def _paragraph(ops: list, text: str, size: float, x: float, room: float, y: float, indent: float = 0.0) -> float:
    lead = size * 1.3
    for words, last in wrap(text, REGULAR, size, room - indent):
        ops.append(("line", x + indent, y + size, words, last, room - indent, size))
        y += lead
        indent = 0.0
    return y


def _label_width(tables, size: float, room: float) -> float:
    """One label column for every data table of the letter, so all their colons line up."""
    label_w = max((width(label, REGULAR, size) for rows in tables for label, _v in rows), default=0) + 3 * mm
    return min(label_w, room * 0.42)


def _table(ops: list, rows, size: float, x: float, room: float, y: float, label_w: float) -> float:
    lead = size * 1.3
    colon_w = 3 * mm
    value_x = x + label_w + colon_w
    value_room = room - label_w - colon_w
    for label, value in rows:
        label_lines = wrap(label, REGULAR, size, label_w - 2 * mm)
        value_lines = wrap(value or "-", REGULAR, size, value_room)
        for i, (words, _last) in enumerate(label_lines):
            ops.append(("text", REGULAR, size, x, y + size + i * lead, " ".join(words)))
        ops.append(("text", REGULAR, size, x + label_w, y + size, ":"))
        for i, (words, _last) in enumerate(value_lines):
            ops.append(("text", REGULAR, size, value_x, y + size + i * lead, " ".join(words)))
        y += lead * max(len(label_lines), len(value_lines))
    return y


def _family(ops: list, rows, size: float, x: float, room: float, y: float) -> float:
    size = size * 0.8
    lead = size * 1.35
    pad = 2 * mm
    cells = [FAMILY_HEADER, *rows]
    # Every column but the name is as wide as its widest cell; the name column takes the rest.
    widths = [max(width(str(row[i]), BOLD if r == 0 else REGULAR, size) for r, row in enumerate(cells)) + pad
              for i in range(len(FAMILY_HEADER))]
    widths[1] = max(room - sum(widths) + widths[1], room * 0.25)
    top = y
    for r, row in enumerate(cells):
        font = BOLD if r == 0 else REGULAR
        height = 1
        cx = x
        for value, w in zip(row, widths, strict=True):
            lines = wrap(str(value), font, size, w - pad)
            for i, (words, _last) in enumerate(lines):
                ops.append(("text", font, size, cx + pad / 2, y + size + 1 + i * lead, " ".join(words)))
            height = max(height, len(lines))
            cx += w
        y += lead * height + 1.2
        ops.append(("hline", x, x + room, y))
    ops.append(("hline", x, x + room, top))
    cx = x
    for w in [0, *widths]:
        cx += w
        ops.append(("vline", cx, top, y))
    return y


def _layout(model: LetterModel, paper: str, size: float) -> tuple[list, float]:
    """Drawing operations with y measured downwards from the top of the body area, and the total height."""
    page_w, _page_h = PAPERS[paper]
    x = MARGIN_LEFT
    room = page_w - MARGIN_LEFT - MARGIN_RIGHT
    lead = size * 1.3
    gap = size * 0.6
    ops: list = []
    y = 0.0
    title = model.title
    title_size = size + 2
    while title_size > size and width(title, BOLD, title_size) > room:
        title_size -= 0.5
    for words, _last in wrap(title, BOLD, title_size, room):
        line = " ".join(words)
        ops.append(("title", title_size, x + room / 2, y + title_size, line, width(line, BOLD, title_size)))
        y += title_size * 1.3
    ops.append(("center", REGULAR, size, x + room / 2, y + size, f"Nomor: {model.number}"))
    y += lead + gap * 1.5
    y = _paragraph(ops, model.intro, size, x, room, y, indent=10 * mm) + gap
    label_w = _label_width([model.resident_rows, *(b[1] for b in model.blocks if b[0] == "table")], size,
                           room - 10 * mm)
    y = _table(ops, model.resident_rows, size, x + 10 * mm, room - 10 * mm, y, label_w) + gap
    for block in model.blocks:
        kind = block[0]
        if kind == "p":
            y = _paragraph(ops, block[1], size, x, room, y, indent=10 * mm) + gap
        elif kind == "table":
            y = _table(ops, block[1], size, x + 10 * mm, room - 10 * mm, y, label_w) + gap
        elif kind == "family":
            y = _family(ops, block[1], size, x, room, y) + gap
    if model.validity:
        y = _paragraph(ops, model.validity, size, x, room, y, indent=10 * mm) + gap
    if model.closing:
        y = _paragraph(ops, model.closing, size, x, room, y, indent=10 * mm) + gap
    # Signature area: [Pemegang Surat] [QR] [signer], the signer's column on the right.
    y += gap
    col_w = room * 0.42
    right_x = x + room - col_w
    ry = y
    for line in (model.place_date, *model.signature.above):
        for words, _last in wrap(line, REGULAR, size, col_w):
            ops.append(("center", REGULAR, size, right_x + col_w / 2, ry + size, " ".join(words)))
            ry += lead
    ry += SIGN_SPACE
    name = model.signature.name or " "
    for words, _last in wrap(name, BOLD, size, col_w):
        line = " ".join(words)
        ops.append(("name", size, right_x + col_w / 2, ry + size, line, width(line, BOLD, size)))
        ry += lead
    if model.signature.id_line:
        ops.append(("center", REGULAR, size, right_x + col_w / 2, ry + size, model.signature.id_line))
        ry += lead
    ly = y + lead  # level with the signer's title, one line below the place and date
    qr_x = x
    if model.holder is not None:
        holder_w = room * 0.3
        ops.append(("center", REGULAR, size, x + holder_w / 2, ly + size, letter_text("holder")))
        hy = ly + lead + SIGN_SPACE + lead * max(0, len(model.signature.above) - 1)
        for words, _last in wrap(model.holder, BOLD, size, holder_w):
            line = " ".join(words)
            ops.append(("name", size, x + holder_w / 2, hy + size, line, width(line, BOLD, size)))
            hy += lead
        ly = max(ly, hy)
        qr_x = x + holder_w + (room - holder_w - col_w - QR_SIZE) / 2
        qr_top = y + lead
    else:
        qr_top = y + lead
    bottom = max(ry, ly)
    if model.qr:
        ops.append(("qr", qr_x, qr_top, model.qr))
        caption = letter_text("scan_to_verify")
        ops.append(("center", REGULAR, 6.5, qr_x + QR_SIZE / 2, qr_top + QR_SIZE + 8, caption))
        bottom = max(bottom, qr_top + QR_SIZE + 10)
    return ops, bottom


def _body_height(paper: str) -> float:
    _w, h = PAPERS[paper]
    return h - MARGIN_TOP - MARGIN_BOTTOM - KOP_HEIGHT - 8 * mm


def layout(model: LetterModel, paper: str) -> tuple[list, float] | None:
    """The operations at the largest size that fits one page, with that size; None if none fits."""
    room = _body_height(paper)
    for size in SIZES:
        ops, height = _layout(model, paper, size)
        if height <= room:
            return ops, size
    return None


def fits(model: LetterModel, paper: str = "A4") -> bool:
    ops, height = _layout(model, paper, SIZES[-1])
    return height <= _body_height(paper)


def _qr_runs(text: str) -> tuple[int, str]:
    """The QR's dark modules as PDF rectangles in module units, one per horizontal run (a row's
    neighbours merged): a few hundred `re` operators written as one string instead of one path call each."""
    matrix = qr.modules(text)
    n = len(matrix)
    runs = []
    for r, row in enumerate(matrix):
        y = n - 1 - r  # PDF's y grows upwards; row 0 is the top
        for run in _DARK_RUN.finditer(row):
            # 1.02 high: rows overlap a hair, so no viewer shows a seam between them
            runs.append(f"{run.start()} {y} {run.end() - run.start()} 1.02 re")
    return n, "\n".join(runs)


_DARK_RUN = re.compile(rb"\x01+")


def _qr_path(c: Canvas, x: float, top: float, text: str) -> None:
    n, runs = _qr_runs(text)
    cell = QR_SIZE / n
    c.saveState()
    c.transform(cell, 0, 0, cell, x, top - n * cell)  # one module = one unit
    c.addLiteral(runs + "\nf")
    c.restoreState()


def _date_document(c: Canvas, day) -> None:
    """CreationDate = the letter's date (invariant mode would say 1 January 2000): the same letter still
    renders to the same bytes, and a PDF reader shows when it was issued."""
    from calendar import timegm

    stamp = c._doc._timeStamp  # reportlab keeps the document's one TimeStamp here; no public setter
    stamp.t = timegm(day.timetuple())
    stamp.lt = tuple(day.timetuple())
    stamp.YMDhms = stamp.lt[:6]


def render_pdf(model: LetterModel, paper: str = "F4") -> bytes:
    """The letter as PDF bytes, always one page. Raises DoesNotFit if even 8 pt overflows."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    paper = paper.upper()
    result = layout(model, paper)
    if result is None:
        raise DoesNotFit(model.code)
    ops, _size = result
    page_w, page_h = PAPERS[paper]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(page_w, page_h), invariant=1, pageCompression=1)
    _date_document(c, model.day)
    c.setTitle(f"{model.title} {model.number}")
    c.setAuthor(model.kop.lines[-1].title() if model.kop.lines else "Semenit")
    c.setCreator("Semenit")
    top = page_h - MARGIN_TOP
    _draw_kop(c, model.kop, page_w, top)
    body_top = top - KOP_HEIGHT - 8 * mm
    if model.draft:
        c.saveState()
        c.setFillGray(0.86)
        c.setFont(BOLD, 110)
        c.translate(page_w / 2, page_h / 2)
        c.rotate(45)
        c.drawCentredString(0, -40, "DRAF")
        c.restoreState()
    current = None
    for op in ops:
        kind = op[0]
        if kind == "line":
            _k, lx, ly, words, last, room, size = op
            if current != (REGULAR, size):
                c.setFont(REGULAR, size)
                current = (REGULAR, size)
            text = " ".join(words)
            t = c.beginText(lx, body_top - ly)
            if not last and len(words) > 1:
                # Tw stays in force for the rest of the page's text: set it, write, and reset it.
                t.setWordSpace((room - width(text, REGULAR, size)) / (len(words) - 1))
                t.textOut(text)
                t.setWordSpace(0)
            else:
                t.textOut(text)
            c.drawText(t)
        elif kind in ("text", "center"):
            _k, font, size, tx, ty, text = op
            if current != (font, size):
                c.setFont(font, size)
                current = (font, size)
            draw = c.drawString if kind == "text" else c.drawCentredString
            draw(tx, body_top - ty, text)
        elif kind in ("title", "name"):
            _k, size, tx, ty, text, w = op
            if current != (BOLD, size):
                c.setFont(BOLD, size)
                current = (BOLD, size)
            c.drawCentredString(tx, body_top - ty, text)
            c.setLineWidth(0.7)
            c.line(tx - w / 2, body_top - ty - 1.8, tx + w / 2, body_top - ty - 1.8)
        elif kind == "hline":
            _k, x1, x2, hy = op
            c.setLineWidth(0.5)
            c.line(x1, body_top - hy, x2, body_top - hy)
        elif kind == "vline":
            _k, vx, y1, y2 = op
            c.setLineWidth(0.5)
            c.line(vx, body_top - y1, vx, body_top - y2)
        elif kind == "qr":
            _k, qx, qtop, text = op
            _qr_path(c, qx, body_top - qtop, text)
    c.showPage()
    c.save()
    return buf.getvalue()
