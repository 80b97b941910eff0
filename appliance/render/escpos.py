"""ESC/POS bytes built here, for every thermal rendering (letter, ticket, test page): no printer transport.

python-escpos's only byte collector, `Dummy`, lives in `escpos.printer`, whose import loads usb and
serial (~0.5 s at every start, and hardware classes in the core). The commands a receipt needs are few
and fixed by Epson's ESC/POS reference, so they are written here; only the printer profile (does it
print QR natively, its dot width, its code-page table) comes from python-escpos's capabilities data,
read when the first receipt is rendered. It is read from the package's capabilities.json directly:
importing `escpos.capabilities` parses that file with PyYAML (~15 ms of every `semenit queue take`), and
its profiles are already flat (no inheritance to resolve), so one JSON parse gives the same facts.

Text goes out in one code page chosen per receipt: the first of `CODE_PAGES` the profile has that can
encode all of it (a name must print exactly as on the KTP: CAĞLA, PEÑA). `encodable()` tells a renderer
when no code page can, so it prints that text as an image instead.
"""

from __future__ import annotations

from functools import lru_cache

ESC, GS = b"\x1b", b"\x1d"
DOTS_PER_MM = 8  # 203 dpi, every receipt printer we support
# Tried in order: plain ASCII first, then the Latin pages that carry Indonesian, Turkish and Spanish names.
CODE_PAGES = ("CP437", "CP858", "CP1252", "CP1254", "CP1250", "CP852", "CP857")
PYTHON_CODECS = {"CP437": "cp437", "CP858": "cp858", "CP1252": "cp1252", "CP1254": "cp1254",
                 "CP1250": "cp1250", "CP852": "cp852", "CP857": "cp857"}


class Profile:
    """The facts of a printer profile a renderer needs."""

    def __init__(self, name: str):
        data = _capabilities()["profiles"][name or "default"]  # KeyError for an unknown name, as escpos
        self.name = name or "default"
        self.native_qr = bool((data.get("features") or {}).get("qrCode"))
        try:
            self.width_px = int(data["media"]["width"]["pixels"])
        except (KeyError, TypeError, ValueError):
            self.width_px = 0
        self.code_pages = {page: int(number) for number, page in (data.get("codePages") or {}).items()
                           if page in PYTHON_CODECS and str(number).isdigit()}


@lru_cache(maxsize=1)
def _capabilities() -> dict:
    """python-escpos's printer database (the file it loads; ESCPOS_CAPABILITIES_FILE overrides it there too)."""
    import importlib.util
    import os
    from pathlib import Path

    import orjson

    path = os.environ.get("ESCPOS_CAPABILITIES_FILE")
    if not path:
        spec = importlib.util.find_spec("escpos")  # locates the package without importing it
        if spec is None or not spec.origin:
            raise ModuleNotFoundError("escpos")
        path = str(Path(spec.origin).with_name("capabilities.json"))
    return orjson.loads(Path(path).read_bytes())


@lru_cache(maxsize=16)
def profile(name: str) -> Profile:
    return Profile(name)


def code_page_for(texts, prof: Profile) -> str | None:
    """The first code page the printer has that encodes every text; None if there is none."""
    for page in CODE_PAGES:
        if page not in prof.code_pages and page != "CP437":
            continue
        try:
            for text in texts:
                text.encode(PYTHON_CODECS[page])
        except UnicodeEncodeError:
            continue
        return page
    return None


def encodable(text: str, prof: Profile) -> bool:
    return code_page_for([text], prof) is not None


class Receipt:
    """Collects ESC/POS commands; `.output` is the bytes to send."""

    def __init__(self, prof: Profile, code_page: str = "CP437"):
        self.profile = prof
        self.parts: list[bytes] = [ESC + b"@"]
        self.codec = PYTHON_CODECS.get(code_page, "cp437")
        if code_page != "CP437" and code_page in prof.code_pages:
            self.parts.append(ESC + b"t" + bytes([prof.code_pages[code_page]]))

    @property
    def output(self) -> bytes:
        return b"".join(self.parts)

    def raw(self, data: bytes) -> None:
        self.parts.append(data)

    def text(self, text: str) -> None:
        self.parts.append(text.encode(self.codec, "replace"))

    def line(self, text: str = "") -> None:
        self.text(text)
        self.parts.append(b"\n")

    def align(self, where: str) -> None:
        self.parts.append(ESC + b"a" + bytes([{"left": 0, "center": 1, "right": 2}[where]]))

    def bold(self, on: bool) -> None:
        self.parts.append(ESC + b"E" + (b"\x01" if on else b"\x00"))

    def size(self, width: int = 1, height: int = 1) -> None:
        """GS ! : character size, 1..8 times in each direction (1, 1 = normal)."""
        self.parts.append(GS + b"!" + bytes([((width - 1) << 4) | (height - 1)]))

    def feed_mm(self, millimetres: float) -> None:
        """ESC J: feed paper by dots (at most 255 per command)."""
        dots = round(millimetres * DOTS_PER_MM)
        while dots > 0:
            step = min(dots, 255)
            self.parts.append(ESC + b"J" + bytes([step]))
            dots -= step

    def qr_native(self, data: str, size: int) -> None:
        """GS ( k: model 2, module size, error correction M, store, print."""
        payload = data.encode("ascii")
        store = len(payload) + 3
        self.parts += [
            GS + b"(k\x04\x001A2\x00",
            GS + b"(k\x03\x001C" + bytes([size]),
            GS + b"(k\x03\x001E1",  # 49 = level M
            GS + b"(k" + bytes([store & 0xFF, store >> 8]) + b"1P0" + payload,
            GS + b"(k\x03\x001Q0",
        ]

    def image(self, raster: bytes) -> None:
        self.parts.append(raster)
        self.parts.append(b"\n")

    def cut(self) -> None:
        """Feed past the cutter (ESC d 6), then a full cut (GS V 0)."""
        self.parts.append(ESC + b"d\x06" + GS + b"V\x00")


def raster(rows: list[bytes], width_bytes: int) -> bytes:
    """One `GS v 0` raster image from packed rows (1 = black dot)."""
    return (GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + len(rows).to_bytes(2, "little")
            + b"".join(rows))


def text_image(text: str, width_px: int, height_px: int = 32, bold: bool = True) -> bytes:
    """`text` drawn with the letter font as raster images, centred (for a name no code page has). Never cut:
    the size shrinks to fit the paper, and a name still too wide goes on as many lines as it needs."""
    from PIL import Image, ImageDraw, ImageFont

    from appliance.render.fonts import font_path

    path = str(font_path("bold" if bold else "regular"))
    probe = ImageDraw.Draw(Image.new("1", (1, 1)))
    room = width_px or 576

    def measure(line: str, font) -> int:
        left, _top, right, _bottom = probe.textbbox((0, 0), line, font=font)
        return right - left

    size = height_px - 8
    font = ImageFont.truetype(path, size=size)
    while size > 14 and measure(text, font) > room - 4:
        size -= 2
        font = ImageFont.truetype(path, size=size)
    lines, current = [], ""
    for word in text.split():  # wrap what still does not fit, word by word
        trial = f"{current} {word}".strip()
        if current and measure(trial, font) > room - 4:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    out = []
    for line in lines:
        left, top, right, bottom = probe.textbbox((0, 0), line, font=font)
        line_h = size + 8
        width_bytes = (min(room, right - left + 4) + 7) // 8
        img = Image.new("1", (width_bytes * 8, line_h), 1)
        ImageDraw.Draw(img).text(((width_bytes * 8 - (right - left)) // 2 - left, (line_h - (bottom - top)) // 2 - top),
                                 line, font=font, fill=0)
        data = bytes(b ^ 0xFF for b in img.tobytes())  # PIL: 1 = white; ESC/POS: 1 = black
        out.append(raster([data[i: i + width_bytes] for i in range(0, len(data), width_bytes)], width_bytes))
    return b"\n".join(out)


__all__ = ["CODE_PAGES", "Profile", "Receipt", "code_page_for", "encodable", "profile", "raster", "text_image"]
