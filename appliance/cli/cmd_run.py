"""`semenit run [--demo]`: the kiosk UI (Kivy is imported only when the command runs)."""

from __future__ import annotations

from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("run", help=_("cli.help.run"))
    p.add_argument("--demo", action="store_true", help=_("cli.help.run_demo"))
    p.set_defaults(func=_run)


def _run(args) -> int:
    import os

    from appliance import paths
    from appliance.cli import CliError

    # The desktop demo needs a desktop: without one Kivy would run invisibly and seem to hang.
    if args.demo and not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")):
        raise CliError("run.no_display")
    from appliance.cli.common import load_settings
    from appliance.uix.main import run_kiosk

    return run_kiosk(load_settings(), paths.home(), demo=args.demo)
