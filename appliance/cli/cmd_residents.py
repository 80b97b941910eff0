"""`semenit residents find NIK`: look one resident up (masked NIK in the output)."""

from __future__ import annotations

from appliance.cli import CliError
from appliance.cli.common import open_store
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("residents", help=_("cli.help.residents"))
    rsub = p.add_subparsers(dest="residents_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    rsub.required = True
    f = rsub.add_parser("find", help=_("cli.help.residents_find"))
    f.add_argument("nik", metavar=_("cli.metavar.nik"), help=_("cli.help.nik"))
    f.add_argument("--json", action="store_true", help=_("cli.help.json"))
    f.set_defaults(func=_find)


def _find(args) -> int:
    from appliance.residents.model import CODED_FIELDS
    from appliance.residents.nik import NumberError, mask, parse_nik

    try:
        nik = parse_nik(args.nik)
    except NumberError as exc:
        raise CliError("residents.invalid_nik", 2, reason=_(f"import.row.{exc.key}", **exc.params)) from exc
    if nik is None:
        raise CliError("residents.invalid_nik", 2, reason=_("import.row.nik.length", digits=len(args.nik.strip())))
    resident = open_store().get(nik)  # a damaged store (read at this look-up) is a SemenitError: one line
    if resident is None:
        raise CliError("residents.not_found", 1, nik=mask(nik))
    data = resident._asdict()
    data["nik"] = mask(resident.nik)
    data["present"] = resident.present
    if args.json:
        data["labels"] = {f: resident.label(f) for f in CODED_FIELDS}
        emit_json(data)
        return 0
    for field, value in data.items():
        if field in CODED_FIELDS and value is not None:
            value = f"{value} {resident.label(field)}"
        print(f"{field:18} {'' if value is None else value}")
    return 0
