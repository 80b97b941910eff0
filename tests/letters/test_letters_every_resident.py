"""Every type, for every resident of OpenSID's sample who may ask for it: one page on A4 (the smaller paper),
every value whole, nothing blank, nothing raw (issue 13, "It is done when"). Layout only: no PDF is drawn."""

from __future__ import annotations

import re
from datetime import date

from appliance.config import Settings
from appliance.letters import model
from appliance.letters.catalog import load_catalog
from appliance.letters.samples import example_fields
from appliance.render.letter_pdf import fits
from appliance.village import VillageProfile

TODAY = date(2026, 11, 28)
RAW = re.compile(r"\{[a-z_]+\.[a-z_0-9]+.*?\}|None|\bnan\b|\bTrue\b|\bFalse\b")


def test_every_type_for_every_eligible_resident(resident_store):
    village = VillageProfile.from_settings(Settings({}))
    served = {}
    for template in load_catalog():
        for resident in sorted(resident_store, key=lambda r: r.nik):
            if template.check_eligibility(resident, resident_store, TODAY):
                continue
            fields = example_fields(template, resident, resident_store, TODAY)
            clean, errors = template.validate_fields(fields, resident, resident_store, TODAY)
            if errors:  # e.g. no member of the KK the field may name
                continue
            subject = resident_store.get(clean[template.subject_field]) if template.subject_field else None
            family = resident_store.family(resident.no_kk) if template.wants_family and resident.no_kk else None
            letter = model.build(template, village, resident, clean, number=f"{template.classification}/001/TRJ/XI/2026",
                                 day=TODAY, subject=subject, family=family, qr="SMN1|" + "A" * 120)
            where = f"{template.code} for {resident.nik[:4]}****{resident.nik[-4:]}"
            assert fits(letter, "A4"), where
            rows = list(letter.resident_rows) + [r for b in letter.blocks if b[0] == "table" for r in b[1]]
            for label, value in rows:
                assert value.strip() and not RAW.search(value), (where, label, value)
            assert dict(letter.resident_rows)["Nama"] == resident.nama.strip()
            for block in letter.blocks:
                if block[0] == "p":
                    assert not RAW.search(block[1]) and block[1].rstrip()[-1] in ".:", (where, block[1])
                    assert " ." not in block[1] and "  " not in block[1], (where, block[1])
                if block[0] == "family":
                    assert len(block[1]) == len(family), where
            served[template.code] = served.get(template.code, 0) + 1
    assert len(served) == 16, sorted(served)
