from __future__ import annotations

from kivy.properties import StringProperty

from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen


class IneligibleScreen(KScreen):
    """Why the letter cannot be made, in the letter's own plain words, and a queue number instead."""

    screen_name = "ineligible"
    reasons = StringProperty("")
    letter = StringProperty("")

    def refresh(self) -> None:
        s = self.app.session
        self.letter = localized(s.letter, "title", self.app.lang) if s.letter is not None else ""
        self.reasons = "\n".join(f"• {r}" for r in s.reasons)

    def clear(self) -> None:
        self.reasons = self.letter = ""
