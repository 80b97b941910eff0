"""Run inside a provisioned root by the unit's python, as the unit's user: the real kiosk (`semenit run`, the
unit's ExecStart) until it tells systemd READY=1 (the home screen is on the glass), then the frame it drew is
saved as a PNG and the kiosk stops. Only the notification is watched: the app itself is not changed.

    python kiosk_first_frame.py OUT.png
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(sys.argv[1])


def main() -> int:
    from appliance.uix import watchdog

    sent = watchdog.notify

    def notify(message: str, path: str | None = None) -> bool:
        if message == "READY=1":
            from kivy.clock import Clock

            Clock.schedule_once(shoot, 1.0)  # the next frames draw the home screen's content
        return sent(message, path)

    def shoot(_dt) -> None:
        from kivy.app import App
        from kivy.core.window import Window

        try:
            written = Window.screenshot(name=str(OUT))  # Kivy puts a counter into the name
            Path(written).replace(OUT)
            print(f"first frame: {OUT} {Window.size[0]}x{Window.size[1]}", flush=True)
        finally:
            App.get_running_app().stop()

    watchdog.notify = notify
    from appliance.cli import main as semenit

    code = semenit(["run"])
    return 0 if OUT.exists() else (code or 1)


if __name__ == "__main__":
    sys.exit(main())
