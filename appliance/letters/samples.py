"""Example values and residents for every letter type: for the sample PDFs, the benchmark and tests.

    python -m appliance.letters.samples OUTDIR     # one issued PDF (F4 and A4) and ESC/POS of every type

The command imports OpenSID's contoh_penduduk.xlsx into a temporary SEMENIT_HOME (never the unit's),
issues one letter of each type through the real path (number, register, file printer) and copies the
results into OUTDIR, so a person can look at them.
"""

from __future__ import annotations

from datetime import date, timedelta

from appliance.letters.catalog import Template


def example_fields(template: Template, resident, store, today: date | None = None,
                   blocked: set[str] | frozenset = frozenset()) -> dict[str, str]:
    """A valid value for every field of `template` (the first choice, a date, an amount...)."""
    today = today or date.today()
    out = {}
    for item in template.fields:
        if item.type == "choice":
            out[item.name] = item.choices[0]
        elif item.type == "date":
            # Ten days ago, within the field's bounds (days from today): valid whatever day the tests run.
            days = max(item.min if item.min is not None else -10, min(-10, item.max if item.max is not None else -10))
            out[item.name] = (today + timedelta(days=days)).isoformat()
        elif item.type == "time":
            out[item.name] = "09:30"
        elif item.type == "money":
            out[item.name] = "2500000"
        elif item.type == "number":
            low, high = item.min if item.min is not None else 0, item.max if item.max is not None else 150
            out[item.name] = str(max(low, min(150, high)))
        elif item.type == "family_member":
            choices = template.family_choices(resident, store, item, today, blocked)
            out[item.name] = choices[-1][0] if choices else ""
        else:
            out[item.name] = "Contoh isian"[: item.max_length]
    return out


def eligible_resident(template: Template, store, today: date, blocked: set[str] | frozenset = frozenset()):
    """The first resident (by NIK) who may ask for `template` (with the example fields), or None.
    `blocked`: NIKs reported dead here (letters.deaths.blocked_niks)."""
    for resident in sorted(store, key=lambda r: r.nik):
        if template.check_eligibility(resident, store, today, blocked):
            continue
        fields = example_fields(template, resident, store, today, blocked)
        if not template.validate_fields(fields, resident, store, today, blocked)[1]:
            return resident
    return None


def main(argv: list[str] | None = None) -> int:
    import os
    import shutil
    import sys
    import tempfile
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "out/letters")
    fixtures = Path(args[1]) if len(args) > 1 else Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "opensid"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SEMENIT_HOME"] = tmp
        os.environ["SEMENIT_CONFIG"] = str(Path(tmp) / "semenit.toml")
        from appliance.config import Settings
        from appliance.letters import deaths
        from appliance.letters.service import LetterService
        from appliance.printing import open_printers
        from appliance.residents.importing import commit_import, plan_import
        from appliance.residents.store import ResidentStore

        store = ResidentStore.open(Path(tmp))
        commit_import(plan_import(fixtures / "contoh_penduduk.xlsx", store), store)
        for paper in ("F4", "A4"):
            settings = Settings({"village": {"kertas": paper}})
            printers = open_printers(settings, Path(tmp))
            svc = LetterService(settings, Path(tmp), store, printers)
            for template in svc.catalog:
                blocked = deaths.blocked_niks(Path(tmp), store)
                resident = eligible_resident(template, store, svc.today(), blocked)
                if resident is None:
                    print(f"{template.code}: no eligible resident in the sample data", file=sys.stderr)
                    continue
                fields = example_fields(template, resident, store, svc.today(), blocked)
                issued = svc.wait(svc.issue(template.code, resident.nik, fields))
                for path in issued.files:
                    shutil.copy(path, out / f"{template.code.lower()}-{paper.lower()}.pdf")
                if paper == "F4" and template.thermal:  # a regular-printer-only type has no receipt
                    from appliance.letters import model
                    from appliance.render.letter_escpos import render_escpos

                    t, r, clean, subject, family, today = svc._prepare(template.code, resident.nik, fields)
                    letter = model.build(t, svc.village, r, clean, number=issued.number, day=today, subject=subject,
                                         family=family, qr=issued.qr)
                    (out / f"{template.code.lower()}-80mm.bin").write_bytes(render_escpos(letter, "TM-T88III", 80))
            svc.close()
            printers.close()
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
