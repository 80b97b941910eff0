"""`semenit operator set-pin [--pin-file F]`: the operator PIN (argon2 hash in the data folder).

Also `semenit operator resident-pin NIK [--pin-file F]` for villages that give residents a PIN
([kiosk] second_factor = "pin").
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from appliance.cli import CliError
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("operator", help="operator PIN and resident PINs")
    osub = p.add_subparsers(dest="operator_command", metavar="COMMAND")
    osub.required = True
    s = osub.add_parser("set-pin", help="set the operator PIN (asked twice, or read from a file)")
    s.add_argument("--pin-file", help="read the PIN from this file (unattended provisioning)")
    s.set_defaults(func=_set_pin)
    r = osub.add_parser("resident-pin", help="set a resident's kiosk PIN")
    r.add_argument("nik")
    r.add_argument("--pin-file")
    r.set_defaults(func=_resident_pin)


def _read_pin(pin_file: str | None) -> str:
    if pin_file:
        try:
            text = Path(pin_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(_("ui.cli.pin_file_unreadable", path=pin_file, error=exc.strerror or str(exc)), 2) from exc
        return text.strip()
    if not sys.stdin.isatty():
        raise CliError(_("ui.cli.pin_needs_terminal"), 2)
    first = getpass.getpass(_("ui.cli.pin_prompt"))
    second = getpass.getpass(_("ui.cli.pin_again"))
    if first != second:
        raise CliError(_("ui.cli.pin_mismatch"), 1)
    return first.strip()


def _set_pin(args) -> int:
    from appliance import paths
    from appliance.services.operator import OperatorPin, PinError

    pin = _read_pin(args.pin_file)
    try:
        OperatorPin(paths.home()).set(pin)
    except PinError as exc:
        raise CliError(exc.text(), 1) from exc
    print(_("ui.cli.pin_set"))
    return 0


def _resident_pin(args) -> int:
    from appliance import paths
    from appliance.residents.nik import mask
    from appliance.services.kiosk import ResidentPins, check_nik
    from appliance.services.operator import PinError, check_pin_format

    nik = args.nik.strip()
    problem = check_nik(nik)
    if problem:
        raise CliError(_(problem), 2)
    pin = _read_pin(args.pin_file)
    try:
        check_pin_format(pin)
    except PinError as exc:
        raise CliError(exc.text(), 1) from exc
    ResidentPins(paths.home()).set(nik, pin)
    print(_("ui.cli.resident_pin_set", nik=mask(nik)))
    return 0
