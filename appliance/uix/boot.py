"""Kivy's settings, applied before Kivy opens a window (they cannot change afterwards).

Everything Kivy reads at import time is set here, so `import kivy` happens in exactly one place:
the kiosk (`semenit run`), the tour (`semenit ui-tour`) and the UI tests call `configure()` first.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def configure(width: int, height: int, fullscreen: bool = False, rotation: int = 0, touchscreen: bool = False,
              driver: bool = False, kivy_home: Path | None = None, touch_rotation: int | None = None,
              touch_match: str = "touch|-ts|ft5|goodix|ili|egalax|waveshare") -> None:
    """`driver`: run frames as fast as possible (the tour and tests pump the event loop themselves)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    if "KIVY_HOME" not in os.environ:
        # Kivy writes a config.ini into its home: never into the unit's read-only places or ~/.kivy.
        home = Path(kivy_home) if kivy_home else Path(tempfile.gettempdir()) / f"semenit-kivy-{os.getuid()}"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["KIVY_HOME"] = str(home)

    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", "warning")
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "1")
    Config.set("graphics", "rotation", str(int(rotation)))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("graphics", "maxfps", "0" if driver else "30")
    Config.set("kivy", "keyboard_mode", "system")
    # Touch screens: SDL's emulated mouse and the kernel's touch device would both report each touch
    # (DESIGN §14), so the mouse provider gives way as soon as real touch activity is seen.
    Config.set("input", "mouse", "mouse,disable_on_activity,disable_multitouch")
    if touchscreen:
        # The panel's touch layer turns with the picture ([ui] touch_rotation, default = rotation).
        turn = int(rotation if touch_rotation is None else touch_rotation) % 360
        extra = f",param=rotation={turn}" if turn else ""
        # Only devices whose name looks like a touch panel ([ui] touch_match, a regex): a keyboard-wedge
        # card reader must not be taken for one (DESIGN §14).
        Config.set("input", "hid", f"probesysfs,provider=hidinput,match={touch_match}{extra}")
    else:
        # A desktop: no probing of input devices (a card reader would be mistaken for a touch screen).
        for key in list(Config.options("input")) if Config.has_section("input") else []:
            if key != "mouse":
                Config.remove_option("input", key)


def register_fonts() -> None:
    """DejaVu Sans where installed (wide, clear, has arrows and Indonesian punctuation), else Kivy's Roboto."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        LabelBase.register(DEFAULT_FONT, str(regular), fn_bold=str(bold))
