"""`semenit verify QR_TEXT`: is this letter genuine? The QR's address or its bare payload. Exit 0 only for a QR
signed by this village (and matching this unit's register where it holds the number); it prints what the letter
must state, for comparing with the paper."""

from __future__ import annotations

from appliance import paths
from appliance.cli import CliError
from appliance.cli.output import emit_json


def register(sub) -> None:
    p = sub.add_parser("verify", help="check a letter's QR: its address or payload (quote it: it contains * and #)")
    p.add_argument("qr_text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_verify)


def _verify(args) -> int:
    from appliance.letters.verify import verify_letter

    result = verify_letter(paths.home(), args.qr_text)
    if args.json:
        emit_json(result.as_dict())
        return result.exit_code
    if not result.genuine:
        raise CliError(result.message, result.exit_code)
    print(result.message)
    for line in result.details:
        print(line)
    return 0
