"""`semenit import PATH` and `semenit rollback`: the operator's resident data, from a USB stick."""

from __future__ import annotations

import sys

from appliance.cli import CliError
from appliance.cli.common import open_unit
from appliance.cli.output import emit_json
from appliance.i18n import _

EXIT_REFUSED = 1
EXIT_NEEDS_CONFIRMATION = 4


def register(sub) -> None:
    p = sub.add_parser("import", help=_("cli.help.import"))
    p.add_argument("path", metavar=_("cli.metavar.file"), help=_("cli.help.import_path"))
    p.add_argument("--dry-run", action="store_true", help=_("cli.help.import_dry_run"))
    p.add_argument("--mode", choices=("full", "update"), default="full", help=_("cli.help.import_mode"))
    p.add_argument("--yes", action="store_true", help=_("cli.help.import_yes"))
    p.add_argument("--json", action="store_true", help=_("cli.help.json"))
    p.set_defaults(func=_import)

    r = sub.add_parser("rollback", help=_("cli.help.rollback"))
    r.add_argument("--json", action="store_true", help=_("cli.help.json"))
    r.set_defaults(func=_rollback)


def _import(args) -> int:
    from appliance.residents.importing import ConfirmationNeeded, ImportRefused
    from appliance.residents.store import StoreChanged

    unit = open_unit("residents")
    try:
        plan = unit.plan_import(args.path, mode=args.mode)
    except ImportRefused as exc:
        if args.json:
            emit_json({"ok": False, "error": exc.key, "message": exc.text()})
        raise CliError.of(exc, EXIT_REFUSED) from exc
    report = plan.report
    status, committed, message = 0, False, None
    if args.dry_run:
        message = _("import.cli.dry_run")
    else:
        try:
            committed = unit.commit_import(plan, confirm_mass_absent=args.yes)
            message = _("import.cli.done") if committed else _("import.cli.nothing")
        except ConfirmationNeeded:
            status, message = EXIT_NEEDS_CONFIRMATION, _("import.cli.needs_yes")
        except StoreChanged as exc:
            status, message = EXIT_REFUSED, exc.text()
        except OSError as exc:
            status, message = EXIT_REFUSED, _("import.cli.write_failed", reason=exc.strerror or str(exc))
    if args.json:
        emit_json({"ok": status == 0, "dry_run": args.dry_run, "committed": committed, "message": message,
                   "report": report.to_dict()})
    else:
        print(report.format_text())
        print(message, file=sys.stderr if status else sys.stdout)
    return status


def _rollback(args) -> int:
    # No area opened: rollback is what a damaged current file needs, so it must not read that file first.
    # No backup left, or a damaged backup, is a SemenitError: the command's one line.
    unit = open_unit()
    restored = unit.rollback_import()
    message = _("rollback.done", backup=restored.name)
    if args.json:
        emit_json({"ok": True, "restored": restored.name, "residents": unit.resident_count(), "message": message})
    else:
        print(message)
    return 0
