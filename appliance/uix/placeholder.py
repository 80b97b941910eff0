"""A window that shows the kiosk starts, until the real screens land."""

from __future__ import annotations

import os


def run_placeholder(demo: bool = False) -> int:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.app import App
    from kivy.uix.label import Label

    from appliance.i18n import _

    class PlaceholderApp(App):
        title = "Semenit"

        def build(self):
            return Label(text=_("ui.placeholder"), font_size="32sp", halign="center")

    PlaceholderApp().run()
    return 0
