"""`semenit run [--demo]`: the kiosk UI (Kivy is imported only when the command runs)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("run", help="start the kiosk UI")
    p.add_argument("--demo", action="store_true", help="desktop mode: demo residents, file printer, mock GPIO")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from appliance import paths
    from appliance.config import Settings
    from appliance.uix.main import run_kiosk

    return run_kiosk(Settings.load(), paths.home(), demo=args.demo)
