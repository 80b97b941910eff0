"""Loading the letter catalog and the letter service imports no PDF library and no printer transport (issue 11):
reportlab loads only when a PDF is drawn, python-escpos's printer classes (usb, serial) never."""

from __future__ import annotations

import subprocess
import sys

from appliance.render import RENDERERS, renderer

PROBE = """
import sys
from appliance.letters.catalog import load_catalog
import appliance.letters.service
catalog = load_catalog()
assert len(catalog) == 16 and not catalog.errors, catalog.errors
print(",".join(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in
      ('reportlab', 'escpos', 'usb', 'serial', 'PIL', 'qrcode', 'zxingcpp')})))
"""

RENDER = """
import sys
from appliance.render import render
from appliance.letters.catalog import load_catalog
from appliance.letters import model
letter = model.worst_case(load_catalog().templates["PENDUDUK"])
render("letter", "escpos", letter, "TM-T88V", 80)
render("letter", "pdf", letter, "A4")
print(",".join(sorted(m for m in sys.modules if m.startswith(("escpos.printer", "usb", "serial")))))
"""


def test_the_catalog_loads_without_reportlab_or_a_printer_library():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_rendering_imports_no_printer_transport():
    out = subprocess.run([sys.executable, "-c", RENDER], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_every_renderer_is_reachable_through_the_one_interface():
    for document, fmt in RENDERERS:
        assert callable(renderer(document, "escpos" if fmt == "*" else fmt))
    page = renderer("testpage", "escpos")("thermal", "TM-T88V", 80)
    assert page.startswith(b"\x1b@") and b"\x1dV\x00" in page
