from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kivy.properties import StringProperty

from appliance.uix.ui_screens import KScreen


class LockedScreen(KScreen):
    """Why (too many wrong answers, never which part was wrong), until when, and a queue number to see an
    officer instead — a locked NIK may well be a mistyped one, which an officer sorts out in a minute."""

    screen_name = "locked"
    title = StringProperty("")
    text = StringProperty("")

    def refresh(self) -> None:
        app = self.app
        block = app.session.block
        if block is None:
            self.clear()
            return
        self.title = app.tr(f"ui.locked.title_{block.reason}")
        try:
            zone = ZoneInfo(app.unit.village.timezone)
        except Exception:  # noqa: BLE001 - an unknown zone name: the unit's own clock
            zone = None
        until = (datetime.now(zone) + timedelta(seconds=block.retry_after_s)).strftime("%H:%M")
        # The second factor the unit asks for and the tries it allows, as set: never "birth date" to
        # someone who typed a PIN, never "5" where a village set 3.
        factor = app.tr(f"ui.locked.factor_{app.session.factor}")
        why = app.tr(f"ui.locked.why_{block.reason}", factor=factor, tries=app.unit.guard.attempts)
        self.text = "\n".join((why,
                               app.tr("ui.locked.wait", minutes=block.minutes, until=until)))

    def spoken(self) -> str:
        return "\n".join((self.title, self.text, self.app.tr("ui.locked.help")))

    def clear(self) -> None:
        self.title = self.text = ""
