"""`semenit register export DEST | verify [--anchor CODE] [--json] | anchor`: the letter register (Buku Agenda)."""

from __future__ import annotations

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("register", help="the letter register: export it, verify it")
    cmds = p.add_subparsers(dest="register_command", metavar="ACTION")
    cmds.required = True
    c = cmds.add_parser("export", help="write the register as .xlsx and .csv")
    c.add_argument("dest", help="a folder, or a file name ending in .xlsx")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_export)
    c = cmds.add_parser("verify", help="check that no entry was edited, removed, moved or cut off")
    c.add_argument("--anchor", action="append", default=[], metavar="CODE",
                   help="a code from the daily paper (e.g. 128-ABCD-EFGH-IJKL); may be given several times")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_verify)
    c = cmds.add_parser("anchor", help="today's short code of the register's head, for the paper file")
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
    from datetime import date

    print("\n".join(open_unit().records.register_anchor(date.today())))
    return 0


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
