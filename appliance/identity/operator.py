"""What an officer does for a resident's identity, for the operator menu and `semenit operator`: give a
one-time print code (after checking the resident's documents) and register or reset a PIN (after seeing
the KTP). Each returns a plain result with a message for the person, never raises for a person's mistake."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appliance.i18n import _
from appliance.identity.codes import IssuedCode, PrintCodes
from appliance.identity.pins import ResidentPins
from appliance.services.operator import PinError

MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class CodeResult:
    code: IssuedCode | None = None
    title: str = ""
    error: str = ""


def issue_print_code(settings, home: Path, nik: str, letter_type: str, minutes: int, store=None,
                     catalog=None) -> CodeResult:
    from appliance.letters.catalog import catalog_dirs, load_catalog
    from appliance.residents.nik import mask
    from appliance.residents.store import ResidentStore

    if not 1 <= int(minutes) <= MAX_MINUTES:
        return CodeResult(error=_("identity.code.minutes", maximum=MAX_MINUTES))
    catalog = catalog or load_catalog(catalog_dirs(settings, home))
    template = catalog.templates.get(letter_type.strip().upper())
    if template is None:
        return CodeResult(error=_("identity.code.unknown_type", code=letter_type,
                                  known=", ".join(sorted(catalog.templates))))
    store = store or ResidentStore.open(home)
    if store.get(nik) is None:
        return CodeResult(error=_("identity.code.unknown_resident", nik=mask(nik)))
    issued = PrintCodes(home).issue(nik, template.code, int(minutes))
    return CodeResult(issued, template.title)


def set_resident_pin(home: Path, nik: str, pin: str) -> str:
    """Register or reset a resident's PIN; "" when done, else the message why not."""
    try:
        ResidentPins(home).set(nik, pin)
    except PinError as exc:
        return _(exc.key)
    return ""
