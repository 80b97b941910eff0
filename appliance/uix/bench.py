"""`python -m appliance.uix.bench OUTDIR`: the resident flow timed for `make bench` (ui_flow_s).

The same tour as `semenit ui-tour`, at 1280×800 in Bahasa Indonesia only; OUTDIR/tour.json holds
`flow_s` (machine time from the touch on "Cetak Surat" to the letter's print job being sent).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m appliance.uix.bench OUTDIR", file=sys.stderr)
        return 2
    from appliance.uix import tour
    from appliance.uix.xvfb import virtual_display

    with virtual_display():
        result = tour.run_tour(Path(argv[0]), sizes=((1280, 800),), languages=("id",))
    print(f"ui_flow_s {result['flow_s']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
