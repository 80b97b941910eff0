from __future__ import annotations

from kivy.properties import NumericProperty

from appliance.uix.dialogs import KDialog


class IdleWarning(KDialog):
    """"Masih di sini?" with the seconds left; any touch keeps the session (the app sees the touch)."""

    seconds = NumericProperty(10)
