"""`semenit keys init | public`: the village's Ed25519 key pair that signs every letter's QR and the register's
head, and the unit's register key (HMAC) that chains the register. `init` makes whichever is missing."""

from __future__ import annotations

import sys

from appliance import paths
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("keys", help=_("cli.help.keys"))
    cmds = p.add_subparsers(dest="keys_command", metavar="ACTION")
    cmds.required = True
    cmds.add_parser("init", help=_("cli.help.keys_init")).set_defaults(func=_init)
    cmds.add_parser("public", help=_("cli.help.keys_public")).set_defaults(func=_public)


def _init(args) -> int:
    from appliance.letters import signing
    from appliance.letters.register import mac_key

    _key, public, created = signing.ensure_keypair(paths.home())
    mac_key(paths.home())
    key = "letters.keys.created" if created else "letters.keys.exists"
    print(_(key, path=str(signing.key_dir(paths.home())), fingerprint=signing.fingerprint(public)))
    return 0


def _public(args) -> int:
    from appliance.letters import signing

    sys.stdout.write(signing.public_pem(paths.home()))
    return 0
