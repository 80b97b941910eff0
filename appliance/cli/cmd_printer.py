"""`semenit printer list | status [NAME] | test [NAME] | jobs | retry JOB | cancel JOB`."""

from __future__ import annotations

import threading

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("printer", help=_("cli.help.printer"))
    cmds = p.add_subparsers(dest="printer_command", metavar=_("cli.metavar.action"), help=_("cli.help.action"))
    cmds.required = True

    c = cmds.add_parser("list", help=_("cli.help.printer_list"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_list)

    c = cmds.add_parser("status", help=_("cli.help.printer_status"))
    c.add_argument("name", nargs="?", metavar=_("cli.metavar.printer"), help=_("cli.help.printer_name_status"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_status)

    c = cmds.add_parser("test", help=_("cli.help.printer_test"))
    c.add_argument("name", nargs="?", metavar=_("cli.metavar.printer"), help=_("cli.help.printer_name_test"))
    c.add_argument("--wait", type=float, default=30.0, metavar=_("cli.metavar.seconds"), help=_("cli.help.wait_print_30"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_test)

    c = cmds.add_parser("jobs", help=_("cli.help.printer_jobs"))
    c.add_argument("--all", action="store_true", help=_("cli.help.printer_all"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_jobs)

    c = cmds.add_parser("retry", help=_("cli.help.printer_retry"))
    c.add_argument("job", metavar=_("cli.metavar.job"), help=_("cli.help.printer_job"))
    c.add_argument("--reprint", action="store_true", help=_("cli.help.printer_reprint"))
    c.add_argument("--wait", type=float, default=30.0, metavar=_("cli.metavar.seconds"), help=_("cli.help.wait_print_30"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_retry)

    c = cmds.add_parser("cancel", help=_("cli.help.printer_cancel"))
    c.add_argument("job", metavar=_("cli.metavar.job"), help=_("cli.help.printer_job"))
    c.add_argument("--json", action="store_true", help=_("cli.help.json"))
    c.set_defaults(func=_cancel)


def _open():
    """The unit with its printers (no pollers: each command asks what it needs), and the printers."""
    unit = open_unit("printing", code=2)
    assert unit.printers is not None  # strict: opened or raised
    return unit, unit.printers


def _names(printers, name: str | None) -> list[str]:
    if name is None:
        return printers.names()
    if name not in printers.names():
        raise CliError("printing.error.unknown_printer", 2, name=name)
    return [name]


def _info(printers, name: str) -> dict:
    printer = printers.printer(name)
    info = {
        "name": name,
        "backend": printer.backend,
        "where": printer.describe(),
        "roles": list(printers.roles(name)),
        "formats": sorted(printers.formats(name)),
        "default_for": [k for k in ("letter", "ticket") if printers.default_for(k) == name],
    }
    if "escpos" in printers.formats(name):
        info["profile"], info["paper_mm"] = printers.escpos_profile(name)
    return info


def _list(args) -> int:
    unit, printers = _open()
    try:
        rows = [_info(printers, n) for n in printers.names()]
    finally:
        unit.close(timeout=1)
    if args.json:
        emit_json({"printers": rows})
        return 0
    for r in rows:
        roles = ", ".join(r["default_for"]) or "-"
        extra = f"  {r['profile']} {r['paper_mm']} mm" if "profile" in r else ""
        print(_("printing.cli.list_row", name=r["name"], backend=r["backend"], where=r["where"],
                formats="/".join(r["formats"]), roles=roles) + extra)
    return 0


def _status(args) -> int:
    unit, printers = _open()
    try:
        names = _names(printers, args.name)
        states: dict = {}
        # ask every printer at once: one that does not answer must not hold up the others
        threads = [threading.Thread(target=lambda n=n: states.__setitem__(n, printers.refresh(n)), daemon=True)
                   for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        kept = {n: printers.spool.jobs(states=("pending", "sent", "failed"), printer=n) for n in names}
    finally:
        unit.close(timeout=1)
    rows = []
    for n in names:
        state = states.get(n) or printers.state(n)
        rows.append({**state.as_dict(), "kept_jobs": len([j for j in kept[n] if j.state != "failed"]),
                     "failed_jobs": len([j for j in kept[n] if j.state == "failed"])})
    if args.json:
        emit_json({"printers": rows})
    else:
        for r in rows:
            print(f"{r['name']}: {r['status']} - {r['message']}")
            if r["kept_jobs"] or r["failed_jobs"]:
                print("  " + _("printing.cli.kept_jobs", kept=r["kept_jobs"], failed=r["failed_jobs"]))
    from appliance.printing.state import ATTENTION

    return 3 if any(r["status"] in ATTENTION for r in rows) else 0


def _job_line(job) -> str:
    text = _(f"printing.cli.job_{job.state}", id=job.id, printer=job.printer, ref=job.ref or "-")
    if job.output:
        text += f" → {job.output}"
    return text + (f"\n  {job.error}" if job.error else "")


def _finish(printers, job, wait: float, as_json: bool) -> int:
    job = printers.spool.wait(job.id, wait)
    state = printers.state(job.printer)
    if as_json:
        emit_json({"job": job.as_dict(), "printer": state.as_dict()})
    else:
        print(_job_line(job))
    if job.state == "done" or (job.state == "sent" and not job.error):
        return 0
    if not as_json:
        raise CliError("printing.cli.not_printed", 1, id=job.id)
    return 1


def _test(args) -> int:
    from appliance.services.operator_actions import send_test_page

    unit, printers = _open()
    try:
        names = _names(printers, args.name)
        job = send_test_page(printers, names[0] if args.name else None)
        return _finish(printers, job, args.wait, args.json)
    finally:
        unit.close(timeout=2)


def _jobs(args) -> int:
    unit, printers = _open()
    try:
        states = None if args.all else ("pending", "sent", "failed")
        jobs = printers.spool.jobs(states=states)
        # A letter held after a printer fault is a stopped spool job: say "held", not "failed, cancelled".
        held = {h.job: h.number for h in unit.held_list()}
    finally:
        unit.close(timeout=1)
    if args.json:
        emit_json({"jobs": [{**j.as_dict(), "held": j.id in held} for j in jobs]})
    elif not jobs:
        print(_("printing.cli.no_jobs"))
    else:
        for job in jobs:
            print(_("printing.cli.job_held", id=job.id, printer=job.printer, number=held[job.id] or job.ref or "-")
                  if job.id in held else _job_line(job))
    return 0


def _retry(args) -> int:
    from appliance.printing import SpoolError

    unit, printers = _open()
    try:
        try:
            job = printers.spool.retry(args.job, reprint=args.reprint)
        except SpoolError as exc:
            raise CliError.of(exc, 2) from exc
        if job.state == "done" and not args.reprint:
            print(_("printing.cli.already_printed", id=job.id))
            return 0
        return _finish(printers, job, args.wait, args.json)
    finally:
        unit.close(timeout=2)


def _cancel(args) -> int:
    from appliance.printing import SpoolError

    unit, printers = _open()
    try:
        try:
            job = printers.spool.cancel(args.job)
        except SpoolError as exc:
            raise CliError.of(exc, 2) from exc
    finally:
        unit.close(timeout=1)
    if args.json:
        emit_json({"job": job.as_dict()})
    else:
        print(_job_line(job))
    return 0
