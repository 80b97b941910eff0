"""The letter on a thermal receipt (ESC/POS, 58 or 80 mm), from the same LetterModel as the PDF.

Same statements as the PDF, in the same order: letterhead (with telephone), title, number, opening,
the data as "label : value" lines, every paragraph and table, the whole family list, validity, the
closing sentence, place and date, Pemegang Surat, the signer with >= 30 mm for signature and stamp,
the QR, and a line saying it is a thermal print (thermal paper fades: the recipient should know).

Names print exactly as on the KTP: the receipt uses the first code page of the printer that encodes all
its text (escpos.CODE_PAGES); a value that none encodes is printed as an image drawn with the letter
font. A type a village marks `thermal = false` is refused here (ThermalNotAllowed): it prints only on
the regular printer. Nothing here opens a printer.
"""

from __future__ import annotations

import textwrap

from appliance.letters.model import LetterModel, letter_text
from appliance.render import escpos, qr

SIGN_SPACE_MM = 32  # room for the wet signature and the stamp (>= 30 mm)
_REPLACE = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "·": "-"})


# Internal, not a SemenitError: a guard; LetterService refuses the type (LetterError) before it gets here.
class ThermalNotAllowed(ValueError):
    """The village prints this letter type only on the regular printer."""


def plain(text: str) -> str:
    """Typographic punctuation as the receipt's code pages have it."""
    return text.translate(_REPLACE)


def columns_for(paper_mm: int) -> int:
    return 32 if paper_mm < 70 else 48


def qr_raster(text: str, box: int, width_px: int) -> bytes:
    """The QR as one `GS v 0` raster image, centred on a `width_px`-dot line, built straight from the
    QR's modules (an image path through Pillow takes ~7 ms)."""
    modules = qr.modules(text)
    quiet = 2 * box
    size = len(modules) * box + 2 * quiet
    offset = max(0, (width_px - size) // 2) if width_px else 0
    width_bytes = (offset + size + 7) // 8
    blank = bytes(width_bytes)
    rows = [blank] * quiet
    for modrow in modules:
        bits = "0" * (offset + quiet) + "".join(("1" * box) if dark else ("0" * box) for dark in modrow)
        bits = bits.ljust(width_bytes * 8, "0")
        line = int(bits, 2).to_bytes(width_bytes, "big")
        rows.extend([line] * box)
    rows.extend([blank] * quiet)
    return escpos.raster(rows, width_bytes)


def letter_texts(model: LetterModel) -> list[str]:
    """Every text the receipt prints (to choose one code page for all of it)."""
    texts = [*model.kop.lines, model.kop.address, model.kop.contact, model.title, model.number, model.intro,
             model.validity, model.closing, model.place_date, *model.signature.above, model.signature.name,
             model.signature.id_line, model.holder or ""]
    for label, value in model.resident_rows:
        texts += [label, value]
    for block in model.blocks:
        if block[0] == "p":
            texts.append(block[1])
        elif block[0] == "table":
            texts += [t for row in block[1] for t in row]
        elif block[0] == "family":
            texts += [t for row in block[1] for t in row]
    return [plain(t) for t in texts if t]


def render_escpos(model: LetterModel, profile: str = "default", paper_mm: int = 80) -> bytes:
    if not model.thermal:
        raise ThermalNotAllowed(model.code)
    prof = escpos.profile(profile)
    cols = columns_for(paper_mm)
    width_px = prof.width_px or (384 if paper_mm < 70 else 576)
    texts = letter_texts(model)
    page = escpos.code_page_for(texts, prof)
    if page is None:  # some value no code page has: the others still print as text, that one as an image
        page = escpos.code_page_for([t for t in texts if escpos.encodable(t, prof)], prof) or "CP437"
    r = escpos.Receipt(prof, page)
    codec = escpos.PYTHON_CODECS[page]

    def fits_page(text: str) -> bool:
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            return False
        return True

    def para(text: str, indent: int = 0) -> None:
        text = plain(text)
        if not fits_page(text):
            r.image(escpos.text_image(text, width_px, bold=False))
            return
        for chunk in textwrap.wrap(text, cols, initial_indent=" " * indent, break_long_words=True) or [""]:
            r.line(chunk)

    def row(label: str, value: str) -> None:
        head = f"{plain(label)}: "
        value = plain(value or "-")
        if not fits_page(value):
            r.line(head)
            r.image(escpos.text_image(value, width_px, bold=False))
            return
        room = max(12, cols - len(head)) if len(head) <= cols // 2 else cols - 2
        chunks = textwrap.wrap(value, room, break_long_words=True) or ["-"]
        if len(head) > cols // 2:  # a long label: the value on the lines below it, indented
            r.line(head)
            for chunk in chunks:
                r.line("  " + chunk)
            return
        for i, chunk in enumerate(chunks):
            r.line((head if i == 0 else " " * len(head)) + chunk)

    def name(text: str) -> None:
        text = plain(text)
        if fits_page(text):
            r.bold(True)
            para(text)
            r.bold(False)
        else:
            r.image(escpos.text_image(text, width_px, bold=True))

    r.align("center")
    r.bold(True)
    for text in model.kop.lines:
        para(text)
    r.bold(False)
    para(model.kop.address)
    if model.kop.contact:
        para(model.kop.contact)
    r.line("-" * cols)
    r.bold(True)
    r.size(1, 2)
    para(model.title)
    r.size(1, 1)
    r.bold(False)
    para(f"Nomor: {model.number}")
    if model.draft:
        r.bold(True)
        para(letter_text("draft_receipt"))
        r.bold(False)
    r.align("left")
    r.line()
    para(model.intro)
    for label, value in model.resident_rows:
        row(label, value)
    for block in model.blocks:
        if block[0] == "p":
            r.line()
            para(block[1])
        elif block[0] == "table":
            for label, value in block[1]:
                row(label, value)
        elif block[0] == "family":
            for number, member_name, nik, sex, born, relation in block[1]:
                member_name = plain(member_name)
                if fits_page(member_name):
                    para(f"{number}. {member_name}")
                else:
                    r.line(f"{number}.")
                    r.image(escpos.text_image(member_name, width_px, bold=False))
                row("   NIK", nik)
                row("   L/P, Lahir", f"{sex}, {born}")
                row("   Hubungan", relation)
    if model.validity:
        r.line()
        para(model.validity)
    if model.closing:
        r.line()
        para(model.closing)
    r.line()
    r.align("center")
    para(model.place_date)
    for text in model.signature.above:
        para(text)
    r.feed_mm(SIGN_SPACE_MM)
    name(model.signature.name or "")
    if model.signature.id_line:
        para(model.signature.id_line)
    if model.holder is not None:
        r.line()
        para(letter_text("holder"))
        r.feed_mm(SIGN_SPACE_MM)
        name(model.holder)
    if model.qr:
        r.line()
        if prof.native_qr:
            r.qr_native(model.qr, 4 if paper_mm < 70 else 6)
            r.line()
        else:
            r.image(qr_raster(model.qr, 6 if paper_mm < 70 else 8, width_px))
        para(letter_text("scan_to_verify"))
    r.line()
    para(letter_text("thermal_notice"))
    r.align("left")
    r.cut()
    return r.output
