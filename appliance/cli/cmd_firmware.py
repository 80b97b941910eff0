"""`semenit firmware check FILE...` and `semenit firmware apply`: the Raspberry Pi boot settings."""

from __future__ import annotations

from appliance.i18n import _


def register(sub) -> None:
    from appliance import firmware

    p = sub.add_parser("firmware", help=_("cli.help.firmware"))
    inner = p.add_subparsers(dest="firmware_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    inner.required = True
    firmware.add_arguments(inner)
