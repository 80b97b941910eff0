"""The letter printer's CUPS queue: the Debian driver CUPS offers for a printer that is not driverless
(an Epson ink-tank L3110 through printer-driver-escpr), with F4 as the default page size."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "provisioning" / "files" / "usr" / "local" / "sbin" / "semenit-cups-queue"
# What an Epson L3110 on USB tells CUPS (IEEE 1284 device ID, as `lpinfo -l -v` shows it).
L3110_ID = "MFG:EPSON;CMD:ESCPL2,BDC,D4,D4PX,ESCPR7,END4,GENEP,URF;MDL:L3110 Series;CLS:PRINTER;DES:EPSON L3110 Series;"


def run_script(private_cups, *args):
    return subprocess.run(["bash", str(SCRIPT), *args], env=private_cups["env"], capture_output=True, text=True,
                          timeout=120, check=False)


def test_epson_ink_tank_gets_the_escpr_queue_with_f4(private_cups, tmp_path):
    models = subprocess.run(["lpinfo", "-m"], env=private_cups["env"], capture_output=True, text=True,
                            check=True).stdout
    assert "Epson-L3110_Series-epson-escpr" in models, "printer-driver-escpr is not installed (make deb)"

    made = run_script(private_cups, "--queue", "semenit-letter", "--uri", "socket://127.0.0.1:9",
                      "--device-id", L3110_ID)
    assert made.returncode == 0, made.stderr
    # The technician's output names the queue, the printer and the driver.
    assert "queue: semenit-letter" in made.stdout
    assert "printer: EPSON L3110 Series (socket://127.0.0.1:9)" in made.stdout
    assert re.search(r"driver: EPSON L3110 Series .*ESC/P-R.*\(escpr:0/.*Epson-L3110_Series-epson-escpr-en\.ppd\)",
                     made.stdout), made.stdout

    ppd = (private_cups["root"] / "etc" / "ppd" / "semenit-letter.ppd").read_text(errors="replace")
    assert '*NickName: "EPSON L3110 Series' in ppd
    assert '*PaperDimension F4/F4 215x330mm: "609.45 935.43"' in ppd  # 215 x 330 mm in points
    assert "*DefaultPageSize: F4" in ppd
    options = subprocess.run(["lpoptions", "-p", "semenit-letter", "-l"], env=private_cups["env"],
                             capture_output=True, text=True, check=True).stdout
    sizes = next(line for line in options.splitlines() if line.startswith("PageSize"))
    assert "*F4" in sizes.split() and "A4" in sizes.split()
    state = subprocess.run(["lpstat", "-p", "semenit-letter"], env=private_cups["env"], capture_output=True,
                           text=True, check=True).stdout
    assert "enabled" in state

    # The queue's filters take an F4 letter to the driver on an F4 page (215 x 330 mm = 610 x 936 points).
    pdf = tmp_path / "letter.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(215 * mm, 330 * mm))
    c.drawString(72, 800, "SURAT KETERANGAN")
    c.showPage()
    c.save()
    out = subprocess.run(["cupsfilter", "-p", str(private_cups["root"] / "etc" / "ppd" / "semenit-letter.ppd"),
                          "-m", "printer/semenit", str(pdf)], env=private_cups["env"], capture_output=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert b"%%HiResBoundingBox: 0 0 610.00 936.00" in out.stdout[:2000]

    # A second run changes nothing the technician would notice: still one F4, still the same driver.
    again = run_script(private_cups, "--uri", "socket://127.0.0.1:9", "--device-id", L3110_ID)
    assert again.returncode == 0, again.stderr
    ppd = (private_cups["root"] / "etc" / "ppd" / "semenit-letter.ppd").read_text(errors="replace")
    assert ppd.count("*PageSize F4/") == 1


def test_a_printer_with_no_driver_is_named_and_no_queue_is_made(private_cups):
    made = run_script(private_cups, "--uri", "socket://127.0.0.1:9",
                      "--device-id", "MFG:Nobody;MDL:Printer 9000;CMD:PCLXL;")
    assert made.returncode == 1
    assert "no CUPS driver for Nobody Printer 9000" in made.stderr
    assert "printer-driver-escpr" in made.stderr
    listed = subprocess.run(["lpstat", "-v"], env=private_cups["env"], capture_output=True, text=True).stdout
    assert "semenit-letter" not in listed


def test_no_printer_plugged_in_says_so(private_cups):
    made = run_script(private_cups, "--wait", "0")
    assert made.returncode == 1
    assert "no USB printer found" in made.stderr


def test_the_letter_printer_is_found_on_usb_beside_a_receipt_printer(private_cups):
    # Two printers on USB, as CUPS's usb backend lists them: a 58 mm receipt printer (no CUPS driver)
    # and the ink-tank letter printer. The queue is made for the one with a driver.
    (private_cups["root"] / "usb-devices").write_text(
        'direct usb://Printer/POS58?serial=0001 "Printer POS58" "POS58 receipt printer" '
        '"MFG:Printer;CMD:ESC/POS;MDL:POS58;CLS:PRINTER;" ""\n'
        f'direct usb://EPSON/L3110%20Series?serial=X4T9 "EPSON L3110 Series" "EPSON L3110 Series" "{L3110_ID}" ""\n')
    made = run_script(private_cups, "--wait", "0")
    assert made.returncode == 0, made.stderr
    assert "printer: EPSON L3110 Series (usb://EPSON/L3110%20Series?serial=X4T9)" in made.stdout
    assert "Epson-L3110_Series-epson-escpr" in made.stdout
    listed = subprocess.run(["lpstat", "-v", "semenit-letter"], env=private_cups["env"], capture_output=True,
                            text=True).stdout
    assert "usb://EPSON/L3110%20Series?serial=X4T9" in listed


def test_only_a_receipt_printer_on_usb_is_named_and_gets_no_queue(private_cups):
    (private_cups["root"] / "usb-devices").write_text(
        'direct usb://Printer/POS58?serial=0001 "Printer POS58" "POS58 receipt printer" '
        '"MFG:Printer;CMD:ESC/POS;MDL:POS58;CLS:PRINTER;" ""\n')
    made = run_script(private_cups, "--wait", "0")
    assert made.returncode == 1
    assert "no CUPS driver for Printer POS58 at usb://Printer/POS58?serial=0001" in made.stderr
