"""`semenit queue take | status | reset | next` (each with --json)."""

from __future__ import annotations

import sys

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("queue", help=_("cli.help.queue"))
    cmds = p.add_subparsers(dest="queue_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    cmds.required = True

    c = cmds.add_parser("take", help=_("cli.help.queue_take"))
    c.add_argument("--no-print", action="store_true", help=_("cli.help.queue_no_print"))
    c.add_argument("--wait", type=float, default=10.0, metavar=_("cli.metavar.seconds"), help=_("cli.help.queue_wait"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_take)

    c = cmds.add_parser("status", help=_("cli.help.queue_status"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_status)

    c = cmds.add_parser("reset", help=_("cli.help.queue_reset"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_reset)

    c = cmds.add_parser("next", help=_("cli.help.queue_next"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_next)


def _queue(*areas: str):
    unit = open_unit("queue", *areas, code=2)
    assert unit.queue is not None  # strict: opened or raised
    return unit, unit.queue


def _take(args) -> int:
    unit, problem = None, None
    if not args.no_print:
        try:
            unit = open_unit("queue", "printing", code=2)
        except CliError as exc:
            problem = exc.text()  # the number is still given; the ticket cannot be printed
    if unit is None:
        unit = open_unit("queue", code=2)
    try:
        ticket = unit.take_queue_number(print_ticket=not args.no_print)
        problem = problem or ticket.problem
        printers = unit.printers
        job = printers.spool.wait(ticket.job_id, args.wait) if printers and ticket.job_id else None
        light = unit.state().light.value if printers else None
    finally:
        unit.close(timeout=2)
    if args.json:
        out = ticket.as_dict()
        out["job"] = job.as_dict() if job else None
        out["light"] = light
        out["problem"] = problem  # why no ticket printed, when that is known
        emit_json(out)
        return 0
    print(_("queue.cli.taken", number=f"{ticket.number:03d}", waiting=ticket.waiting_before))
    if job is not None and job.state == "done":
        print(_("queue.cli.printed", output=job.output or job.printer))
    elif job is not None:
        print(job.error or _("queue.cli.printing", printer=job.printer))
    if problem:
        print(problem, file=sys.stderr)
    return 0


def _status(args) -> int:
    _unit, queue = _queue()
    status = queue.status()
    if args.json:
        emit_json(status.as_dict())
    else:
        print(_("queue.cli.status", day=status.day, last=status.last, served=status.served, waiting=status.waiting,
                tz=status.timezone))
    return 0


def _reset(args) -> int:
    _unit, queue = _queue()
    status = queue.reset()
    if args.json:
        emit_json(status.as_dict())
    else:
        print(_("queue.cli.reset", day=status.day))
    return 0


def _next(args) -> int:
    _unit, queue = _queue()
    number = queue.call_next()
    if args.json:
        emit_json({"number": number})
    elif number is None:
        print(_("queue.cli.nobody"))
    else:
        print(_("queue.cli.next", number=f"{number:03d}"))
    return 0
