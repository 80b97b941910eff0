"""Every rendering the unit prints, in one place behind one interface; none imports a printer transport.

A renderer turns a finished document into the bytes a printer takes: a letter as PDF (reportlab) or
ESC/POS, a queue ticket, a printer test page. They are named here as data and loaded when first used
(the pin-factory idiom of printing/capabilities.py), so importing the core pulls in neither reportlab
nor python-escpos, and the printer side (printing/) only moves bytes.

    render("letter", "pdf", model, paper="F4")
    render("letter", "escpos", model, profile="TM-T88V", paper_mm=80)
    render("ticket", "escpos", ticket, village, profile="POS-5890", paper_mm=58)
    render("testpage", fmt, printer_name, profile=..., paper_mm=...)   # fmt "pdf" or "escpos"
    render("day_summary", fmt, summary, profile=..., paper_mm=...)     # the operator's daily paper
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

# (document, format) -> "module:function"; "*" takes the format as its first argument.
RENDERERS: dict[tuple[str, str], str] = {
    ("letter", "pdf"): "appliance.render.letter_pdf:render_pdf",
    ("letter", "escpos"): "appliance.render.letter_escpos:render_escpos",
    ("ticket", "escpos"): "appliance.render.ticket:render_ticket",
    ("testpage", "*"): "appliance.render.testpage:render_test_page",
    ("day_summary", "*"): "appliance.render.day_summary:render_day_summary",
}


class Renderer(Protocol):
    def __call__(self, *args, **kwargs) -> bytes: ...


def renderer(document: str, fmt: str) -> Renderer:
    """The function that renders `document` in `fmt`. Raises KeyError for a pair nobody renders."""
    if (document, fmt) in RENDERERS:
        spec = RENDERERS[(document, fmt)]
        module, name = spec.split(":")
        return getattr(import_module(module), name)
    module, name = RENDERERS[(document, "*")].split(":")
    function = getattr(import_module(module), name)
    return lambda *args, **kwargs: function(fmt, *args, **kwargs)


def render(document: str, fmt: str, *args, **kwargs) -> bytes:
    return renderer(document, fmt)(*args, **kwargs)


__all__ = ["RENDERERS", "Renderer", "render", "renderer"]
