"""The letter fonts as reportlab embeds them, each font subset made once per process.

reportlab embeds a TrueType font as subsets of up to 256 characters, made again for every document: cut
out of the font file, deflated, and its 256 widths written out number by number (about 2 ms of a 4.5 ms
letter). The subsets are predictable: subset 0 holds printable ASCII at its own codes, and the few other
characters a letter uses fill the free codes in the order they first appear, so the letters of one
village share the same subsets almost always. A subset's bytes depend only on the font file and its
characters: they are kept here, keyed by the characters, and handed to the next document already
deflated and written. The PDF is byte for byte the one reportlab makes on its own.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

# A day of letters with unusual names; one subset is ~30 KB cut and ~18 KB deflated.
KEPT = 32


class _KeptSubsets(TTFontFace):
    """A font face that keeps its subsets (see the module's docstring). It adds methods only:
    `LetterFont` turns the face reportlab made into this class and gives it its two attributes."""

    _kept: OrderedDict[tuple[int, ...], tuple[bytes, bytes]]  # characters -> (cut, deflated)
    _lock: Lock

    def makeSubset(self, subset):  # noqa: N802 (reportlab's name)
        return self._subset(tuple(subset))[0]

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 (reportlab's name)
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        if doc.compression:
            font_file = doc.idToObject[doc.idToObject[descriptor.name].dict["FontFile2"].name]
            font_file.content = self._subset(tuple(subset))[1]
            # A stream whose dictionary already names its filter is written as it is, not deflated again.
            font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
        return descriptor

    def _subset(self, chars: tuple[int, ...]) -> tuple[bytes, bytes]:
        with self._lock:
            kept = self._kept.get(chars)
            if kept is not None:
                self._kept.move_to_end(chars)
                return kept
        cut = super().makeSubset(list(chars))
        kept = (cut, pdfdoc.PDFZCompress.encode(cut))
        with self._lock:
            self._kept[chars] = kept
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return kept


class _Widths(pdfdoc.PDFArray):
    """A subset's widths, written out once: they hold numbers only, nothing that depends on the document."""

    _written: dict[tuple, bytes] = {}

    def format(self, document, IND=b"\n "):  # noqa: N803 (reportlab's signature)
        key = tuple(self.sequence)
        written = self._written.get(key)
        if written is None:
            written = super().format(document, IND)
            if len(self._written) < 2 * KEPT:
                self._written[key] = written
        return written


class LetterFont(TTFont):
    """A TrueType font for letters: reportlab's, keeping its subsets (see the module's docstring)."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        face = self.face  # made by TTFont's constructor; no parameter lets us choose its class
        face.__class__ = _KeptSubsets
        face._kept = OrderedDict()
        face._lock = Lock()

    def addObjects(self, doc):  # noqa: N802 (reportlab's name)
        super().addObjects(doc)
        for font in doc.idToObject["BasicFonts"].dict.values():
            if type(getattr(font, "Widths", None)) is pdfdoc.PDFArray:
                font.Widths.__class__ = _Widths
