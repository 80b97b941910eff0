from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty

from appliance.uix.ui_screens import ReturningScreen

RATING_RETURN_S = 5  # after the rating, a moment to read "terima kasih"


class DoneScreen(ReturningScreen):
    """"Silakan ambil surat Anda": the number, where it comes out, what to do with it (signature and
    stamp at the desk, where the village says so), and the one-touch satisfaction rating."""

    screen_name = "done"
    number = StringProperty("")
    info = StringProperty("")
    rated = NumericProperty(0)
    rest_h = NumericProperty(0)  # between the info and the rating (done.kv): the room the two leave

    def fit(self) -> None:
        """The rating at the bottom where all fits; else just below the window, so that the first window
        is the info whole and the rating is one scroll down (never a button shown cut in half)."""
        ids, gap = self.ids, self.app.th.gap
        if "rating" not in ids:  # the rule is still being applied
            return
        room = ids.middle.height - ids.info.height - ids.question.height - ids.rating.height - 3 * gap
        self.rest_h = room if room >= 0 else max(0.0, ids.middle.height - ids.info.height - 2 * gap)
        ids.middle.scroll_y = 1

    def refresh(self) -> None:
        app = self.app
        unit = app.unit
        issued = app.session.issued
        self.number = str(issued.number) if issued is not None else ""
        ui = unit.ui_conf
        lines = [app.tr("ui.done.number", number=self.number)] if self.number else []
        lines.append(str(ui.get("letter_pickup") or "") or app.tr("ui.done.pickup"))
        lines.append(app.tr("ui.done.sign_desk" if ui.get("letter_signed_at_desk", True) else "ui.done.signed",
                            kepala=unit.village.sebutan_kepala))
        self.info = "\n".join(lines)
        self.return_in(float(unit.kiosk_conf["done_return_s"]))

    def rate(self, score: int) -> None:
        """One touch: stored with the letter type only (nothing about the resident)."""
        if self.rated:
            return
        app = self.app
        self.rated = score
        unit = app.unit
        code = app.session.letter.code if app.session.letter is not None else ""
        app.background(lambda: unit.rate_service(score, code), keep=True)
        app.assist.say(app.tr("ui.rating.thanks"))
        self.return_in(min(RATING_RETURN_S, max(1, self.left)) if self.left else RATING_RETURN_S)

    def spoken(self) -> str:
        return "\n".join((self.app.tr("ui.done.title"), self.info, self.app.tr("ui.rating.question")))

    def clear(self) -> None:
        super().clear()
        self.number = self.info = ""
        self.rated = 0
