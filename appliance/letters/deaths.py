"""Deaths reported at the kiosk, kept until the village's own register says so (issue 13).

A Kematian letter is a report: the village register (OpenSID/SIAK) still lists the deceased as living
until the operator records the death there and the next import brings it in. In between, the kiosk must
not print further letters for that person, and the operator's daily summary lists the deaths reported
so the register can be updated. This small durable document (SEMENIT_HOME/letters/deaths.json, changed
under a lock like every other state file) holds one entry per deceased NIK:

    record_death(home, nik, number="472.12/003/TRJ/XI/2026", day=date(...), died="2026-11-27",
                 import_id=<the resident row's import when reported>)
    blocked_niks(home, store)  -> the NIKs no letter may name now
    reported_on(home, day)     -> the entries reported that day (the operator's daily summary)

An entry settles itself once an import has changed the person's row since the report (import_id
differs) or the row no longer says HIDUP: from then on the register's own word (MATI, or a correction)
decides, through the templates' normal eligibility.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from appliance.storage.document import locked_document, read_document

FILENAME = "deaths.json"


def path_for(home: Path | str) -> Path:
    return Path(home) / "letters" / FILENAME


def record_death(home: Path | str, nik: str, *, number: str, day: date, died: str, import_id: str | None) -> None:
    """Note that letter `number` reported the death of `nik` (idempotent: a reprint changes nothing)."""
    path = path_for(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked_document(path) as doc:
        doc.setdefault(nik, {"number": number, "day": day.isoformat(), "died": died, "import_id": import_id})


def _settled(entry: dict, resident) -> bool:
    return resident is None or resident.status_dasar != 1 or resident.import_id != entry.get("import_id")


def blocked_niks(home: Path | str, store) -> set[str]:
    """NIKs reported dead here and not yet settled by an import."""
    doc = read_document(path_for(home))
    return {nik for nik, entry in doc.items() if not _settled(entry, store.get(nik))}


def reported_on(home: Path | str, day: date) -> list[dict]:
    """The deaths reported on `day`, oldest letter number first: {nik, number, died}."""
    doc = read_document(path_for(home))
    return sorted(({"nik": nik, "number": e["number"], "died": e["died"]} for nik, e in doc.items()
                   if e.get("day") == day.isoformat()), key=lambda e: e["number"])


__all__ = ["blocked_niks", "path_for", "record_death", "reported_on"]
