"""`semenit ui-tour OUTDIR`: drive the real kiosk UI through every screen; PNGs and tour.json in OUTDIR."""

from __future__ import annotations

from pathlib import Path

from appliance.cli import CliError
from appliance.i18n import _


def register(sub) -> None:
    p = sub.add_parser("ui-tour", help=_("cli.help.ui_tour"))
    p.add_argument("outdir", metavar=_("cli.metavar.folder"), help=_("cli.help.ui_tour_outdir"))
    p.add_argument("--sizes", default="1280x800,800x480,720x1280", metavar=_("cli.metavar.sizes"),
                   help=_("cli.help.ui_tour_sizes"))
    p.add_argument("--languages", default="id,en", metavar=_("cli.metavar.languages"), help=_("cli.help.ui_tour_languages"))
    p.add_argument("--fixture", default=None, metavar=_("cli.metavar.file"), help=_("cli.help.ui_tour_fixture"))
    p.add_argument("--json", action="store_true", help=_("cli.help.json"))
    p.set_defaults(func=_tour)


def _sizes(text: str) -> tuple[tuple[int, int], ...]:
    try:
        return tuple(tuple(int(v) for v in part.lower().split("x", 1)) for part in text.split(",") if part)
    except ValueError:
        raise CliError("ui.tour.bad_sizes", 2, sizes=text) from None


def _tour(args) -> int:
    from appliance.uix import tour
    from appliance.uix.xvfb import virtual_display

    fixture = Path(args.fixture) if args.fixture else tour.FIXTURE
    if not fixture.is_file():
        raise CliError("ui.tour.no_fixture", 2, path=str(fixture))
    from appliance.i18n import get_language, set_language

    lang = get_language()
    try:
        with virtual_display():
            result = tour.run_tour(Path(args.outdir), fixture=fixture, sizes=_sizes(args.sizes),
                                   languages=tuple(x for x in args.languages.split(",") if x))
    finally:
        set_language(lang)  # the tour switched the kiosk's language; the report is in the caller's
    if args.json:
        from appliance.cli.output import emit_json

        emit_json({k: v for k, v in result.items() if k != "steps"})
    else:
        print(_("ui.tour.done", n=len(result["screenshots"]), outdir=args.outdir, flow_s=result["flow_s"],
                touches=result["flow_touches"]))
    return 0
