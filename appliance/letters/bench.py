"""Letter figures for `make bench` (DESIGN §13): medians in seconds, measured with time.perf_counter.

    render_pdf_s     one letter model -> PDF bytes (target <= 25 ms), over every type
    render_escpos_s  the same letter -> ESC/POS bytes, 80 mm with native QR (target <= 5 ms)
    issue_s          number + register entry + render + hand to the `file` printer's spool
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def measure(store, home: Path, rounds: int = 5, issues: int = 40) -> dict:
    from appliance.config import Settings
    from appliance.letters import model
    from appliance.letters.samples import eligible_resident, example_fields
    from appliance.letters.service import LetterService
    from appliance.printing import open_printers
    from appliance.render.letter_escpos import render_escpos
    from appliance.render.letter_pdf import render_pdf

    home = Path(home)
    settings = Settings()
    printers = open_printers(settings, home)
    svc = LetterService(settings, home, store, printers)
    try:
        today = svc.today()
        letters = []
        requests = []
        for template in svc.catalog:
            resident = eligible_resident(template, store, today)
            if resident is None:
                continue
            fields = example_fields(template, resident, store)
            t, r, clean, subject, family, day = svc._prepare(template.code, resident.nik, fields)
            qr = "SMN1|470/012/TRJ/XI/2026|20261128|" + template.code + "|3404****0001|" + "A" * 86
            letters.append(model.build(t, svc.village, r, clean, number="470/012/TRJ/XI/2026", day=day,
                                       subject=subject, family=family, qr=qr))
            if not template.records_death:  # a death is recorded once: the same request is then refused
                requests.append((template.code, resident.nik, fields))
        render_pdf(letters[0], svc.village.kertas)  # fonts, letterhead: the once-per-process work
        pdf_times, escpos_times = [], []
        for _ in range(rounds):
            for letter in letters:
                start = time.perf_counter()
                render_pdf(letter, svc.village.kertas)
                pdf_times.append(time.perf_counter() - start)
                if not letter.thermal:  # a regular-printer-only type has no receipt
                    continue
                start = time.perf_counter()
                render_escpos(letter, "TM-T88III", 80)
                escpos_times.append(time.perf_counter() - start)
        issue_times = []
        for i in range(issues):
            code, nik, fields = requests[i % len(requests)]
            start = time.perf_counter()
            svc.issue(code, nik, fields)
            issue_times.append(time.perf_counter() - start)
        return {
            "render_pdf_s": statistics.median(pdf_times),
            "render_escpos_s": statistics.median(escpos_times),
            "issue_s": statistics.median(issue_times),
        }
    finally:
        svc.close()
        printers.close()
