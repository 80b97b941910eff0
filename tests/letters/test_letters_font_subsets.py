"""The kept font subsets (render/font_subsets.py) change nothing in the PDF: for names of every kind, in
any order, a letter font gives the bytes reportlab's own TrueType font gives, from the first document
and from the kept subsets after it."""

from __future__ import annotations

import io
import random
from contextlib import contextmanager

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from appliance.render import fonts
from appliance.render.font_subsets import KEPT, LetterFont

NAMES = ["SITI AMINAH", "JOSÉ MARÍA DA SILVA", "ÑOÑO ŞAHIN", "MUH. ALI’S “KECIL”", "I GUSTI AYU KADEK",
         "Ø ÅSE-ØYA", "ĞÜL ÇİÇEK", "R. NGABEHI SOERJO"]


def _pdf(font_name: str, texts: list[str]) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    y = 800
    for text in texts:
        c.setFont(font_name, 11)
        c.drawString(72, y, text)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


@contextmanager
def _registered(font):
    """`font` as the one font of its face: reportlab keeps one font object per face name and hands it
    out for every later name of that face (the letters' own fonts may be registered already)."""
    saved = dict(pdfmetrics._fonts), dict(pdfmetrics._dynFaceNames)
    pdfmetrics._dynFaceNames.pop(font.face.name, None)
    pdfmetrics.registerFont(font)
    try:
        assert pdfmetrics.getFont(font.fontName) is font
        yield font.fontName
    finally:
        pdfmetrics._fonts.clear()
        pdfmetrics._fonts.update(saved[0])
        pdfmetrics._dynFaceNames.clear()
        pdfmetrics._dynFaceNames.update(saved[1])


def test_kept_subsets_give_reportlabs_own_bytes():
    rng = random.Random(20261130)
    for style in ("regular", "bold"):
        path = str(fonts.font_path(style))
        documents = []
        for _ in range(3 * KEPT):
            texts = ["SURAT KETERANGAN", f"Nomor: 470/{len(documents):03d}/TRJ/XI/2026",
                     *rng.sample(NAMES, rng.randint(1, len(NAMES)))]
            # A name whose characters come from the whole of Latin-1 and Latin Extended-A, so some
            # documents need a second subset and the kept ones are dropped and made again.
            texts.append("".join(chr(rng.randint(0xC0, 0x17F)) for _ in range(rng.randint(1, 120))))
            documents.append(texts)
        documents += documents[:KEPT // 2]  # and again, from the kept subsets
        kept = LetterFont(f"Kept-{style}", path)
        with _registered(kept) as name:
            made = [_pdf(name, texts) for texts in documents]
        with _registered(TTFont(f"Plain-{style}", path)) as name:
            for texts, pdf in zip(documents, made, strict=True):
                assert pdf == _pdf(name, texts), (style, texts)
        assert len(kept.face._kept) == KEPT
