"""`semenit run`: the kiosk UI."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("run", help="start the kiosk UI")
    p.add_argument("--demo", action="store_true", help="desktop mode: demo residents, file printer, mock GPIO")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from appliance.uix.placeholder import run_placeholder

    return run_placeholder(demo=args.demo)
