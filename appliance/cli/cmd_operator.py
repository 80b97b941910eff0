"""`semenit operator set-pin [--pin-file F]`: the operator PIN (argon2 hash in the data folder).

Also `semenit operator resident-pin NIK [--pin-file F]`: register or reset a resident's kiosk PIN after
seeing the KTP (the default second factor), and `semenit operator print-code NIK TYPE [--minutes N]`: a
one-time 6-digit code for one NIK and one letter type, after checking the resident's documents.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from appliance.cli import CliError
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("operator", help=_("cli.help.operator"))
    osub = p.add_subparsers(dest="operator_command", metavar=_("cli.metavar.command"), help=_("cli.help.command"))
    osub.required = True
    s = osub.add_parser("set-pin", help=_("cli.help.operator_set_pin"))
    s.add_argument("--pin-file", metavar=_("cli.metavar.pin_file"), help=_("cli.help.operator_pin_file"))
    s.set_defaults(func=_set_pin)
    r = osub.add_parser("resident-pin", help=_("cli.help.operator_resident_pin"))
    r.add_argument("nik", metavar=_("cli.metavar.nik"), help=_("cli.help.nik"))
    r.add_argument("--pin-file", metavar=_("cli.metavar.pin_file"), help=_("cli.help.operator_resident_pin_file"))
    r.set_defaults(func=_resident_pin)
    c = osub.add_parser("print-code", help=_("cli.help.operator_print_code"))
    c.add_argument("nik", metavar=_("cli.metavar.nik"), help=_("cli.help.nik"))
    c.add_argument("type", metavar=_("cli.metavar.letter_type"), help=_("cli.help.letter_type"))
    c.add_argument("--minutes", type=int, default=None, metavar=_("cli.metavar.minutes"),
                   help=_("cli.help.operator_minutes"))
    c.set_defaults(func=_print_code)


def _read_pin(pin_file: str | None) -> str:
    if pin_file:
        try:
            text = Path(pin_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError("ui.cli.pin_file_unreadable", 2, path=pin_file, error=exc.strerror or str(exc)) from exc
        return text.strip()
    if not sys.stdin.isatty():
        raise CliError("ui.cli.pin_needs_terminal", 2)
    first = getpass.getpass(_("ui.cli.pin_prompt"))
    second = getpass.getpass(_("ui.cli.pin_again"))
    if first != second:
        raise CliError("ui.cli.pin_mismatch", 1)
    return first.strip()


def _set_pin(args) -> int:
    from appliance.cli.common import open_unit
    from appliance.services.operator import PinError

    pin = _read_pin(args.pin_file)
    try:
        open_unit().set_operator_pin(pin)
    except PinError as exc:
        raise CliError.of(exc, 1) from exc
    print(_("ui.cli.pin_set"))
    return 0


def _resident_pin(args) -> int:
    from appliance.cli.common import open_unit
    from appliance.residents.nik import mask
    from appliance.services.kiosk import check_nik
    from appliance.services.operator import PinError, check_pin_format

    nik = args.nik.strip()
    problem = check_nik(nik)
    if problem:
        raise CliError(problem, 2)
    pin = _read_pin(args.pin_file)
    try:
        check_pin_format(pin)
    except PinError as exc:
        raise CliError.of(exc, 1) from exc
    open_unit().register_resident_pin(nik, pin)
    print(_("ui.cli.resident_pin_set", nik=mask(nik)))
    return 0


def _print_code(args) -> int:
    from appliance.cli.common import open_unit
    from appliance.services.kiosk import check_nik

    nik = args.nik.strip()
    problem = check_nik(nik)
    if problem:
        raise CliError(problem, 2)
    unit = open_unit("residents")
    shown = unit.issue_print_code(nik, args.type, args.minutes)
    if shown.error:
        raise CliError.lines([shown.error], 1)
    print(_("identity.code.issued", code=shown.code, nik=shown.nik, title=shown.title, minutes=shown.minutes))
    return 0
