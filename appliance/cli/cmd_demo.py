"""`semenit demo-data`: synthetic residents for demos, tests and the benchmark."""

from __future__ import annotations

from pathlib import Path

from appliance.cli import CliError
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("demo-data", help=_("cli.help.demo"))
    p.add_argument("--residents", type=int, default=200, metavar=_("cli.metavar.count"),
                   help=_("cli.help.demo_residents"))
    p.add_argument("--out", required=True, metavar=_("cli.metavar.file"), help=_("cli.help.demo_out"))
    p.add_argument("--seed", type=int, default=1, metavar=_("cli.metavar.seed"), help=_("cli.help.demo_seed"))
    p.set_defaults(func=_demo)


def _demo(args) -> int:
    from appliance.services.unit import Unit

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CliError("demo.bad_extension", 2)
    n = Unit.write_demo_residents(out, args.residents, seed=args.seed)
    print(_("demo.done", n=n, path=out))
    return 0
