"""`semenit register export DEST | verify [--anchor CODE] [--json] | anchor [--print [PRINTER]]`: the letter
register (Buku Agenda). `anchor --print` prints the daily summary with the anchor for the secretary to sign."""

from __future__ import annotations

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("register", help=_("cli.help.register"))
    cmds = p.add_subparsers(dest="register_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    cmds.required = True
    c = cmds.add_parser("export", help=_("cli.help.register_export"))
    c.add_argument("dest", metavar=_("cli.metavar.dest"), help=_("cli.help.register_dest"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_export)
    c = cmds.add_parser("verify", help=_("cli.help.register_verify"))
    c.add_argument("--anchor", action="append", default=[], metavar=_("cli.metavar.code"),
                   help=_("cli.help.register_anchor_code"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_verify)
    c = cmds.add_parser("anchor", help=_("cli.help.register_anchor"))
    # --print [PRINTER]: the daily summary on paper, the code for the secretary to sign and file (issue 12)
    c.add_argument("--print", dest="print_to", nargs="?", const="", default=None, metavar=_("cli.metavar.printer"),
                   help=_("cli.help.register_anchor_print"))
    c.add_argument("--wait", type=float, default=30.0, metavar=_("cli.metavar.seconds"),
                   help=_("cli.help.register_anchor_wait"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_anchor)


def _export(args) -> int:
    try:
        out = open_unit().records.export_register(args.dest)
    except OSError as exc:
        raise CliError("letters.cli.export_failed", dest=args.dest, reason=exc.strerror or str(exc)) from exc
    if args.json:
        emit_json({"xlsx": str(out.xlsx), "csv": str(out.csv), "letters": out.letters,
                   "agenda_xlsx": str(out.agenda_xlsx), "agenda_csv": str(out.agenda_csv)})
    else:
        print(_("letters.cli.exported", count=out.letters, xlsx=str(out.xlsx), csv=str(out.csv)))
        print(_("letters.cli.exported_agenda", xlsx=str(out.agenda_xlsx), csv=str(out.agenda_csv)))
    return 0


def describe(problem) -> str:
    return _(f"letters.register.problem.{problem.kind}", line=problem.line or "-",
             index=problem.index if problem.index is not None else "-", number=problem.number or "-",
             detail=problem.detail or "")


def _anchor(args) -> int:
    if args.print_to is not None:
        return _print_summary(args)
    unit = open_unit()
    day = unit.local_time().date()  # the village's day, as the daily summary's
    anchor, lines = unit.records.register_anchor(day, unit.village)
    if args.json:
        emit_json({"day": day.isoformat(), "anchor": anchor.text, "entries": anchor.count})
    else:
        print("\n".join(lines))
    return 0


def _print_summary(args) -> int:
    """The daily summary on paper, through the spool like the operator menu's button."""
    from appliance.cli.cmd_printer import _finish
    from appliance.errors import SemenitError
    from appliance.services.day_summary import spool_day_summary

    unit = open_unit("printing", code=2)
    try:
        try:
            job, summary = spool_day_summary(unit, args.print_to or None)
        except SemenitError as exc:
            raise CliError.of(exc, 2) from exc
        if not args.json:
            print(_("letters.register.anchor.code", code=summary.anchor.text))
        assert unit.printers is not None  # strict: opened or raised
        return _finish(unit.printers, job, args.wait, args.json)
    finally:
        unit.close(timeout=2)


def _verify(args) -> int:
    from appliance.letters.register import Anchor

    anchors = []
    for text in args.anchor:
        try:
            anchors.append(Anchor.parse(text))
        except ValueError as exc:
            raise CliError("letters.register.anchor_invalid", 2, text=text) from exc
    report = open_unit().records.verify_register(anchors)
    if args.json:
        emit_json({"ok": report.ok, "entries": report.count,
                   "problems": [{"kind": p.kind, "line": p.line, "index": p.index, "number": p.number,
                                 "detail": p.detail, "message": describe(p)} for p in report.problems]})
    elif report.ok:
        print(_("letters.register.ok", count=report.count))
    if report.ok:
        return 0
    if not args.json:
        raise CliError.lines([_("letters.register.broken", count=len(report.problems)),
                              *[f"- {describe(p)}" for p in report.problems]], 1)
    return 1
