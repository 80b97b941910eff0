"""`semenit keys init | public`: the village's Ed25519 key pair that signs every letter's QR and the register's
head, and the unit's register key (HMAC) that chains the register. `init` makes whichever is missing."""

from __future__ import annotations

import sys

from appliance.cli.common import open_unit
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("keys", help=_("cli.help.keys"))
    cmds = p.add_subparsers(dest="keys_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    cmds.required = True
    cmds.add_parser("init", help=_("cli.help.keys_init")).set_defaults(func=_init)
    cmds.add_parser("public", help=_("cli.help.keys_public")).set_defaults(func=_public)


def _init(args) -> int:
    key = open_unit().records.init_keys()
    message = "letters.keys.created" if key.created else "letters.keys.exists"
    print(_(message, path=str(key.folder), fingerprint=key.fingerprint))
    return 0


def _public(args) -> int:
    sys.stdout.write(open_unit().records.public_key_pem())
    return 0
