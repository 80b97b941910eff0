from __future__ import annotations

from kivy.properties import NumericProperty

from appliance.uix.dialogs import KDialog


class IdleWarning(KDialog):
    """"Masih di sini?" with the seconds left, big; a sound and (if on) the spoken question as it opens.
    Any touch keeps the session (the app sees the touch)."""

    seconds = NumericProperty(20)

    def on_open(self):
        self.app.assist.warn()
