"""The text a reader sees on a letter: from the PDF (poppler's pdftotext) and from the ESC/POS
bytes (commands decoded, text in the code page the receipt selected). Used by the approved-text test.

The PDF text is taken in drawing order (pdftotext -raw): one line per drawn line, no padding, so a change to
one value shows as a change to that line only."""

from __future__ import annotations

import re
import subprocess

from appliance.render import escpos


def pdf_text(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode("utf-8")
    lines = [line.rstrip() for line in out.replace("\f", "").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def escpos_text(data: bytes, profile: str) -> list[str]:
    """Printable text line by line; an image as [gambar], a native QR as [QR], a paper feed as
    [kosong N mm], a cut as [potong]. Raises ValueError on a command it does not know."""
    numbers = {number: escpos.PYTHON_CODECS[name] for name, number in escpos.profile(profile).code_pages.items()}
    codec = "cp437"
    parts: list[str] = []
    buf = bytearray()
    feed = 0

    def emit(token: str = "") -> None:
        nonlocal feed
        if buf:
            parts.append(buf.decode(codec))
            buf.clear()
        if feed and not token.startswith("\0"):
            parts.append(f"[kosong {round(feed / escpos.DOTS_PER_MM)} mm]\n")
            feed = 0
        parts.append(token.lstrip("\0"))

    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x1B:
            cmd = data[i + 1: i + 2]
            if cmd == b"@":
                i += 2
                continue
            if cmd == b"J":
                emit("\0")
                feed += data[i + 2]
            elif cmd == b"t":
                emit()
                codec = numbers.get(data[i + 2], "cp437")
            elif cmd not in (b"a", b"E", b"!", b"d"):
                raise ValueError(f"ESC {cmd!r} at {i}")
            i += 3
        elif b == 0x1D:
            if data[i + 1: i + 2] in (b"!", b"V"):
                if data[i + 1: i + 2] == b"V":
                    emit("[potong]")
                i += 3
            elif data[i + 1: i + 3] == b"(k":
                length = data[i + 3] + 256 * data[i + 4]
                if data[i + 5: i + 8] == b"1Q0":
                    emit("[QR]")
                i += 5 + length
            elif data[i + 1: i + 4] == b"v0\x00":
                width, height = data[i + 4] + 256 * data[i + 5], data[i + 6] + 256 * data[i + 7]
                emit("[gambar]")
                i += 8 + width * height
            else:
                raise ValueError(f"GS {data[i + 1: i + 2]!r} at {i}")
        else:
            if feed:
                emit()
            buf.append(b)
            i += 1
    emit()
    return [line.rstrip() for line in re.split(r"\n", "".join(parts))]
