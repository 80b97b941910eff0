"""`semenit held [--json]` and `semenit held release JOB`: letters held after a printer fault (issue 15).

A letter whose printer failed while the resident waited is held (appliance.services.held_letters): it
prints only when an operator, standing at the printer, releases it. `semenit printer jobs` lists it too
(as a stopped job); this names it by its letter number.
"""

from __future__ import annotations

from datetime import datetime

from appliance.cli import CliError
from appliance.cli.cmd_printer import _finish as wait_and_report
from appliance.cli.cmd_printer import _open as open_printer_set
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("held", help=_("cli.help.held"))
    p.add_argument("--json", action="store_true", help=_("cli.help.json"))
    p.set_defaults(func=_list)
    cmds = p.add_subparsers(dest="held_command", metavar=_("cli.metavar.action"), help=_("cli.help.held_action"))
    c = cmds.add_parser("release", help=_("cli.help.held_release"))
    c.add_argument("job", metavar=_("cli.metavar.job"), help=_("cli.help.held_job"))
    c.add_argument("--wait", type=float, default=30.0, metavar=_("cli.metavar.seconds"), help=_("cli.help.wait_print_30"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_release)


def _list(args) -> int:
    from zoneinfo import ZoneInfo

    unit, _printers = open_printer_set()
    try:
        rows = unit.held_list()
        zone = ZoneInfo(unit.village.timezone)  # the village's clock, as the screen and the letters show
    finally:
        unit.close(timeout=1)
    if args.json:
        emit_json({"held": [{"job": h.job, "number": h.number, "letter": h.letter, "held_at": h.held_at}
                            for h in rows]})
    elif not rows:
        print(_("ui.held.none"))
    else:
        for h in rows:
            since = datetime.fromtimestamp(h.held_at, zone).strftime("%d-%m-%Y %H:%M")
            print(_("ui.held.cli_line", job=h.job, number=h.number, letter=h.letter, time=since))
    return 0


def _release(args) -> int:
    from appliance.printing import SpoolError

    unit, printers = open_printer_set()
    try:
        held = unit.held_letters()
        if held is None or args.job not in {h.job for h in held.list()}:
            raise CliError("ui.held.unknown", 2, job=args.job)
        try:
            job = held.release(args.job)
        except SpoolError as exc:
            raise CliError.of(exc, 2) from exc
        if not args.json:
            print(_("ui.held.cli_released", job=job.id))
        return wait_and_report(printers, job, args.wait, args.json)
    finally:
        unit.close(timeout=2)
