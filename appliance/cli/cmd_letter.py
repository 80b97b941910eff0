"""`semenit letter list | issue TYPE --nik NIK | render TYPE --nik NIK --format pdf|escpos --out FILE`."""

from __future__ import annotations

import sys
from pathlib import Path

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _, get_language


def _letter_request_args(c) -> None:
    """What a resident asks for: the letter type, who, and the letter's fields."""
    c.add_argument("type", metavar=_("cli.metavar.letter_type"), help=_("cli.help.letter_type"))
    c.add_argument("--nik", required=True, metavar=_("cli.metavar.nik"), help=_("cli.help.nik"))
    c.add_argument("--field", action="append", default=[], metavar=_("cli.metavar.field"),
                   help=_("cli.help.letter_field"))


def register(sub) -> None:
    p = sub.add_parser("letter", help=_("cli.help.letter"))
    cmds = p.add_subparsers(dest="letter_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    cmds.required = True

    c = cmds.add_parser("list", help=_("cli.help.letter_list"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_list)

    c = cmds.add_parser("issue", help=_("cli.help.letter_issue"))
    _letter_request_args(c)
    c.add_argument("--printer", metavar=_("cli.metavar.printer"), help=_("cli.help.letter_printer"))
    c.add_argument("--wait", type=float, default=30.0, metavar=_("cli.metavar.seconds"), help=_("cli.help.wait_print_30"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_issue)

    c = cmds.add_parser("render", help=_("cli.help.letter_render"))
    _letter_request_args(c)
    c.add_argument("--format", choices=("pdf", "escpos"), default="pdf", help=_("cli.help.letter_format"))
    c.add_argument("--profile", default="default", metavar=_("cli.metavar.profile"), help=_("cli.help.letter_profile"))
    c.add_argument("--paper-mm", type=int, choices=(58, 80), default=80, help=_("cli.help.letter_paper_mm"))
    c.add_argument("--out", required=True, metavar=_("cli.metavar.file"), help=_("cli.help.letter_out"))
    c.set_defaults(func=_render)

    c = cmds.add_parser("reprint", help=_("cli.help.letter_reprint"))
    c.add_argument("number", metavar=_("cli.metavar.number"), help=_("cli.help.letter_number"))
    c.add_argument("--printer", metavar=_("cli.metavar.printer"), help=_("cli.help.letter_printer"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_reprint)

    c = cmds.add_parser("void", help=_("cli.help.letter_void"))
    c.add_argument("number", metavar=_("cli.metavar.number"), help=_("cli.help.letter_number"))
    c.add_argument("--reason", required=True, metavar=_("cli.metavar.reason"), help=_("cli.help.letter_reason"))
    c.set_defaults(func=_void)


def _fields(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError("letters.cli.bad_field", 2, pair=pair)
        out[name.strip()] = value
    return out


def _unit(*areas: str, start: bool = False):
    """The unit with its letter service (and `areas`), and that service."""
    unit = open_unit(*areas, "letters", start=start)
    return unit, unit.letter_service()


def _refusal(exc) -> CliError:
    lines = [exc.text(), *[f"- {r}" for r in exc.reasons]]
    return CliError.lines(lines, 3 if exc.code in ("not_eligible", "fields") else 1)


def _report_catalog_errors(svc) -> None:
    for path, line, message in svc.catalog.errors:
        print(_("letters.cli.template_refused", path=path, line=line, message=message), file=sys.stderr)


def _list(args) -> int:
    unit, svc = _unit()
    unit.close()
    english = get_language() == "en"
    rows = [{"type": t.code, "title": t.title, "title_en": t.title_en,
             "description": t.description_en if english else t.description,
             "fields": [f.name for f in t.fields]} for t in svc.catalog]
    if args.json:
        emit_json({"types": rows, "errors": [{"file": f, "line": n, "message": m} for f, n, m in svc.catalog.errors]})
        return 0
    for row in rows:
        print(f"{row['type']:<16} {row['title_en'] if english else row['title']}")
    _report_catalog_errors(svc)
    return 0


def _issue(args) -> int:
    from appliance.letters.service import LetterError

    unit, svc = _unit("residents", "printing", start=True)
    try:
        try:
            issued = svc.issue(args.type, args.nik, _fields(args.field), printer=args.printer)
        except LetterError as exc:
            raise _refusal(exc) from exc
        svc.wait(issued, args.wait)
    finally:
        unit.close()
    if args.json:
        emit_json(issued.as_dict())
    else:
        print(_("letters.cli.issued", number=issued.number, title=issued.title))
        print(_("letters.cli.outcome", outcome=_(f"letters.outcome.{issued.outcome}"), printer=issued.printer))
        if issued.error:  # why the printer has not printed it yet, and what to do (a kept job keeps its number)
            print(issued.error, file=sys.stderr)
        for path in issued.files:
            print(path)
        print(issued.qr)
    if issued.outcome == "failed":
        return 4
    return 0


def _render(args) -> int:
    from appliance.letters.service import LetterError

    unit, svc = _unit("residents")
    try:
        data = svc.render_draft(args.type, args.nik, _fields(args.field), args.format,
                                escpos_profile=(args.profile, args.paper_mm))
    except LetterError as exc:
        raise _refusal(exc) from exc
    finally:
        unit.close()
    from appliance.storage.atomic import atomic_write

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, data, mode=0o600)  # a draft holds the full NIK: for the operator only
    print(_("letters.cli.rendered", path=str(out)))
    return 0


def _reprint(args) -> int:
    from appliance.letters.service import LetterError

    unit, svc = _unit("printing", start=True)
    try:
        try:
            issued = svc.reprint(args.number, printer=args.printer)
        except LetterError as exc:
            raise _refusal(exc) from exc
        svc.wait(issued, 30.0)
    finally:
        unit.close()
    if args.json:
        emit_json(issued.as_dict())
    else:
        print(_("letters.cli.outcome", outcome=_(f"letters.outcome.{issued.outcome}"), printer=issued.printer))
        if issued.error:  # why the printer has not printed it yet, and what to do (a kept job keeps its number)
            print(issued.error, file=sys.stderr)
        for path in issued.files:
            print(path)
    return 4 if issued.outcome == "failed" else 0


def _void(args) -> int:
    from appliance.letters.service import LetterError

    unit, svc = _unit()
    try:
        svc.void(args.number, args.reason)
    except LetterError as exc:
        raise _refusal(exc) from exc
    finally:
        unit.close()
    print(_("letters.cli.voided", number=args.number))
    return 0
