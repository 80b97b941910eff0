"""`semenit verify QR_TEXT`: is this letter genuine? The QR's address or its bare payload. Exit 0 only for a QR
signed by this village (and matching this unit's register where it holds the number); it prints what the letter
must state, for comparing with the paper."""

from __future__ import annotations

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("verify", help=_("cli.help.verify"))
    p.add_argument("qr_text", metavar=_("cli.metavar.qr_text"), help=_("cli.help.verify_qr"))
    p.add_argument("--json", action="store_true", help=_("cli.help.json"))
    p.set_defaults(func=_verify)
    p = sub.add_parser("verify-page", help=_("cli.help.verify_page"))
    p.add_argument("out", metavar=_("cli.metavar.file"), help=_("cli.help.verify_page_out"))
    p.set_defaults(func=_verify_page)


def _verify(args) -> int:
    result = open_unit().records.verify_letter(args.qr_text)
    if args.json:
        emit_json(result.as_dict())
        return result.exit_code
    if not result.genuine:
        raise CliError.lines([result.message], result.exit_code)
    print(result.message)
    for line in result.details:
        print(line)
    return 0


def _verify_page(args) -> int:
    try:
        page = open_unit().records.write_verify_page(args.out)
    except OSError as exc:
        raise CliError("verify_page.write_failed", path=args.out, reason=exc.strerror or str(exc)) from exc
    print(_("verify_page.made", path=str(page.path), fingerprint=page.fingerprint, url=page.url))
    return 0
