"""The letter fonts' metrics and coverage, read straight from the TrueType files (no reportlab).

Why not reportlab: the catalog checks at load that every template fits one page, and a name is
checked at import for whether the fonts can draw it; neither should pull reportlab into a process that
never draws a PDF (issue 11). A TrueType file's `cmap` (which characters it has), `hmtx` (advance
widths) and `head` (units per em) are all that layout and coverage need; reportlab reads the same
tables when it draws, so the widths agree.

    drawable("JOSÉ MARÍA")   -> True
    drawable("ꦱꦸꦏꦂꦠꦺ")       -> False  (Javanese script: not in DejaVu; never print a blank field)
"""

from __future__ import annotations

import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

from appliance.errors import SemenitError

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FILES = {"regular": "DejaVuSerif.ttf", "bold": "DejaVuSerif-Bold.ttf"}


class FontMissing(SemenitError):
    """DejaVu fonts (Debian package fonts-dejavu-core) are not installed."""


def font_path(style: str) -> Path:
    filename = FILES[style]
    for folder in FONT_DIRS:
        if (folder / filename).exists():
            return folder / filename
    raise FontMissing("render.font_missing", file=filename, folders=", ".join(map(str, FONT_DIRS)))


class Metrics:
    """Advance widths per character (in 1/1000 em) of one TrueType font."""

    def __init__(self, data: bytes):
        tables = {}
        (count,) = struct.unpack(">H", data[4:6])
        for i in range(count):
            tag, _sum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
            tables[tag.decode("latin-1")] = (offset, length)
        head = tables["head"][0]
        (units,) = struct.unpack(">H", data[head + 18: head + 20])
        hhea = tables["hhea"][0]
        (n_metrics,) = struct.unpack(">H", data[hhea + 34: hhea + 36])
        hmtx = tables["hmtx"][0]
        advances = struct.unpack(f">{n_metrics * 2}H", data[hmtx: hmtx + 4 * n_metrics])[::2]
        self.glyphs = self._cmap(data, tables["cmap"][0])
        scale = 1000 / units
        last = advances[-1]
        self.widths = {ch: (advances[g] if g < n_metrics else last) * scale for ch, g in self.glyphs.items()}
        self.missing = self.widths.get(0xFFFD, 1000.0)

    @staticmethod
    def _cmap(data: bytes, cmap: int) -> dict[int, int]:
        """Code point -> glyph id, from the Unicode format-12 subtable (else format 4)."""
        (count,) = struct.unpack(">H", data[cmap + 2: cmap + 4])
        best = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * i: cmap + 12 + 8 * i])
            fmt = struct.unpack(">H", data[cmap + offset: cmap + offset + 2])[0]
            if platform in (0, 3) and fmt in (4, 12):
                best.setdefault(fmt, cmap + offset)
        out: dict[int, int] = {}
        if 12 in best:
            at = best[12]
            (groups,) = struct.unpack(">I", data[at + 12: at + 16])
            for g in range(groups):
                start, end, glyph = struct.unpack(">III", data[at + 16 + 12 * g: at + 28 + 12 * g])
                for code in range(start, end + 1):
                    out[code] = glyph + code - start
            return out
        at = best[4]
        seg2 = struct.unpack(">H", data[at + 6: at + 8])[0]
        ends = struct.unpack(f">{seg2 // 2}H", data[at + 14: at + 14 + seg2])
        starts_at = at + 16 + seg2
        starts = struct.unpack(f">{seg2 // 2}H", data[starts_at: starts_at + seg2])
        deltas = struct.unpack(f">{seg2 // 2}h", data[starts_at + seg2: starts_at + 2 * seg2])
        ranges_at = starts_at + 2 * seg2
        ranges = struct.unpack(f">{seg2 // 2}H", data[ranges_at: ranges_at + seg2])
        for s, (start, end, delta, rng) in enumerate(zip(starts, ends, deltas, ranges, strict=True)):
            for code in range(start, end + 1):
                if code == 0xFFFF:
                    continue
                if rng == 0:
                    glyph = (code + delta) & 0xFFFF
                else:
                    where = ranges_at + 2 * s + rng + 2 * (code - start)
                    glyph = struct.unpack(">H", data[where: where + 2])[0]
                    glyph = (glyph + delta) & 0xFFFF if glyph else 0
                if glyph:
                    out[code] = glyph
        return out


@lru_cache(maxsize=4)
def metrics(style: str = "regular") -> Metrics:
    return Metrics(font_path(style).read_bytes())


def string_width(text: str, style: str, size: float) -> float:
    m = metrics(style)
    widths, missing = m.widths, m.missing
    return sum(widths.get(ord(ch), missing) for ch in text) * size / 1000


_INVISIBLE = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}


def drawable(name: str) -> bool:
    """Whether the letter fonts draw every character of `name` and it shows at least one visible one.

    False for Javanese script, emoji, and names made only of spaces or zero-width characters: such a
    name would print blank or as boxes, so the importer warns and the kiosk refuses the letter.
    """
    text = unicodedata.normalize("NFC", name or "")
    if not any(unicodedata.category(ch) not in _INVISIBLE for ch in text):
        return False
    covered = _covered_by_both()
    return all(ord(ch) in covered or unicodedata.category(ch) == "Zs" for ch in text)


@lru_cache(maxsize=1)
def _covered_by_both() -> frozenset[int]:
    """The characters both letter fonts draw (built once: the importer asks for every non-ASCII name)."""
    return frozenset(metrics("regular").glyphs) & frozenset(metrics("bold").glyphs)


__all__ = ["FontMissing", "Metrics", "drawable", "font_path", "metrics", "string_width"]
