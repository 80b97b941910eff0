"""The letter on a thermal receipt (ESC/POS, 58 or 80 mm), from the same LetterModel as the PDF.

Compact: the letterhead in bold, the title double-height, the number, the text wrapped to the paper's
columns, the data as "label : value" lines, the signature block, the QR, then a cut. The QR is printed
with the printer's own QR command (GS ( k) where the profile has it, else as an image (cheap 58 mm
printers such as POS-5890 and ZJ-5870 claim none). Text is sent as plain ASCII bytes in the printer's
default code page: Indonesian needs no accents, and it avoids python-escpos's per-character code-page
search (the target is <= 5 ms per letter).
"""

from __future__ import annotations

import textwrap
import unicodedata

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from qrcode.constants import ERROR_CORRECT_M

from appliance.letters.model import LetterModel

_REPLACE = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "·": "-"})


def ascii_text(text: str) -> str:
    text = text.translate(_REPLACE)
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def columns_for(paper_mm: int) -> int:
    return 32 if paper_mm < 70 else 48


def qr_raster(text: str, box: int, width_px: int) -> bytes:
    """The QR as one `GS v 0` raster image, centred on a `width_px`-dot line, built straight from the
    QR's modules (python-escpos's image path converts through Pillow and takes ~7 ms)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2)
    qr.add_data(text)
    qr.make(fit=True)
    modules = qr.modules
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
    height = len(rows)
    header = b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")
    return header + b"".join(rows)


def render_escpos(model: LetterModel, profile: str = "default", paper_mm: int = 80) -> bytes:
    p = Dummy(profile=profile)
    cols = columns_for(paper_mm)
    raw = p._raw

    def line(text: str = "") -> None:
        raw(ascii_text(text).encode("ascii", "replace") + b"\n")

    def para(text: str, indent: str = "") -> None:
        for chunk in textwrap.wrap(ascii_text(text), cols, initial_indent=indent, subsequent_indent="",
                                   break_long_words=True) or [""]:
            raw(chunk.encode("ascii", "replace") + b"\n")

    def row(label: str, value: str) -> None:
        head = f"{label}: "
        for i, chunk in enumerate(textwrap.wrap(ascii_text(value or "-"), max(8, cols - len(head))) or ["-"]):
            raw(((head if i == 0 else " " * len(head)) + chunk).encode("ascii", "replace") + b"\n")

    p.hw("INIT")
    p.set(align="center", bold=True)
    for text in model.kop.lines:
        para(text)
    p.set(bold=False)
    para(model.kop.address)
    line("-" * cols)
    p.set(bold=True, double_height=True)
    para(model.title)
    p.set(normal_textsize=True, bold=False)
    para(f"Nomor: {model.number}")
    if model.draft:
        p.set(bold=True)
        line("*** DRAF - TIDAK SAH ***")
        p.set(bold=False)
    p.set(align="left")
    line()
    para(model.intro)
    for label, value in model.resident_rows:
        row(label, value)
    for block in model.blocks:
        if block[0] == "p":
            para(block[1])
        elif block[0] == "table":
            for label, value in block[1]:
                row(label, value)
        elif block[0] == "family":
            for number, name, nik, sex, _born, relation in block[1]:
                para(f"{number}. {name} ({sex}) {relation} {nik}".strip())
    if model.validity:
        para(model.validity)
    line()
    p.set(align="center")
    para(model.place_date)
    for text in model.signature.above:
        para(text)
    line()
    line()
    p.set(bold=True)
    para(model.signature.name or "")
    p.set(bold=False)
    if model.signature.id_line:
        para(model.signature.id_line)
    if model.qr:
        line()
        if p.profile.supports("qrCode"):
            p.qr(model.qr, ec=QR_ECLEVEL_M, size=4 if paper_mm < 70 else 6, native=True)
            line()
        else:
            try:
                width_px = int(p.profile.profile_data["media"]["width"]["pixels"])
            except (KeyError, TypeError, ValueError):
                width_px = 384 if paper_mm < 70 else 576
            raw(qr_raster(model.qr, 6 if paper_mm < 70 else 8, width_px) + b"\n")
        para("Pindai untuk memeriksa keaslian")
    p.set(align="left")
    p.cut()
    return p.output
