"""`semenit selftest [--json] [--out FILE]`: check the unit; exit 1 when anything fails."""

from __future__ import annotations

from pathlib import Path

from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("selftest", help=_("cli.help.selftest"))
    p.add_argument("--json", action="store_true", help=_("cli.help.json"))
    p.add_argument("--out", type=Path, metavar=_("cli.metavar.file"), help=_("cli.help.selftest_out"))
    p.set_defaults(func=_selftest)


def _selftest(args) -> int:
    import orjson

    from appliance import selftest
    from appliance.cli.output import emit_json
    from appliance.storage.atomic import atomic_write

    report = selftest.run()
    if args.out:
        atomic_write(args.out, orjson.dumps(report, option=orjson.OPT_INDENT_2))
    if args.json:
        emit_json(report)
    else:
        print(selftest.render(report))
    return 0 if report["ok"] else 1
