from __future__ import annotations

from datetime import date

from kivy.properties import NumericProperty, StringProperty

from appliance.services.kiosk import CODE_DIGITS
from appliance.uix.ui_screens import KScreen
from appliance.uix.ui_screens.nik import grouped_in_text

PIN_MAX = 8


class VerifyScreen(KScreen):
    """The second factor: birth date in three boxes filled from the keypad (default), a PIN, or an e-KTP tap.

    A wrong answer says only that the data did not match, never which part."""

    screen_name = "verify"
    day = StringProperty("")
    month = StringProperty("")
    year = StringProperty("")
    month_name = StringProperty("")
    box = NumericProperty(0)  # which box the next digit goes into
    pin_shown = StringProperty("")
    error = StringProperty("")
    factor = StringProperty("birth_date")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._pin = ""
        self._tag = ""
        self.checking = False
        self.tries_left = None

    @property
    def wants_keys(self) -> bool:
        return self.factor == "tag"

    def refresh(self) -> None:
        self.factor = self.app.session.factor
        self._update()

    def refresh_view(self) -> None:
        """Lay out the factor set on the screen (the tour shows every factor's screen)."""
        self._update()

    def _update(self) -> None:
        m = int(self.month) if self.month.isdigit() and len(self.month) == 2 else 0
        self.month_name = self.app.tr(f"ui.month.{m}") if 1 <= m <= 12 else ""
        self.pin_shown = "●" * len(self._pin)
        if "go" in self.ids:
            self.ids.go.disabled = self.checking or not self.ready()

    def ready(self) -> bool:
        if self.factor == "code":  # an officer's one-time print code (appliance/identity/codes.py)
            return len(self._pin) == CODE_DIGITS
        if self.factor == "pin":
            return len(self._pin) >= 4
        if self.factor == "tag":
            return False
        return len(self.day) == 2 and len(self.month) == 2 and len(self.year) == 4

    def key(self, key: str) -> None:
        self.app.assist.key(key)
        self.error = ""
        if self.factor in ("pin", "code"):
            if key == "clear":
                self._pin = ""
            elif key == "back":
                self._pin = self._pin[:-1]
            elif len(self._pin) < PIN_MAX:
                self._pin += key
            self._update()
            return
        # Deliberate getattr/setattr below: the three date boxes are this screen's own Kivy properties,
        # addressed by name so one loop moves between them.
        boxes = ["day", "month", "year"]
        limits = [2, 2, 4]
        if key == "clear":
            self.day = self.month = self.year = ""
            self.box = 0
        elif key == "back":
            while self.box > 0 and not getattr(self, boxes[self.box]):
                self.box -= 1
            name = boxes[self.box]
            setattr(self, name, getattr(self, name)[:-1])
        else:
            while self.box < 2 and len(getattr(self, boxes[self.box])) >= limits[self.box]:
                self.box += 1
            name = boxes[self.box]
            if len(getattr(self, name)) < limits[self.box]:
                setattr(self, name, getattr(self, name) + key)
                if len(getattr(self, name)) == limits[self.box] and self.box < 2:
                    self.box += 1
        self._update()

    def select_box(self, index: int) -> None:
        self.box = index
        setattr(self, ["day", "month", "year"][index], "")
        self._update()

    def submit(self) -> None:
        if self.checking or not self.ready():
            return
        session = self.app.session
        if self.factor in ("pin", "code"):
            pin, self._pin = self._pin, ""
            check = session.verify_code if self.factor == "code" else session.verify_pin
            work = lambda: check(pin)  # noqa: E731
        else:
            try:
                born = date(int(self.year), int(self.month), int(self.day))
            except ValueError:
                self.error = self.app.tr("ui.verify.bad_date")
                return
            work = lambda: session.verify_birth_date(born)  # noqa: E731
        self._checking(work)

    def _checking(self, work) -> None:
        session = self.app.session
        self.checking = True
        self._update()

        unit, nik = self.app.unit, session.nik
        app = self.app

        def checked():
            result = work()
            # How many tries remain, told with the mismatch so nobody is locked out by surprise.
            return result, (unit.tries_left(nik) if not result.ok and result.block is None else None)

        def done(outcome):
            result, self.tries_left = outcome
            self.checking = False
            self._update()
            app.verified(result)

        app.background(checked, done=done)

    # e-KTP: a keyboard-wedge reader types the card number and Enter.
    def key_text(self, text: str) -> None:
        if self.factor == "tag" and len(self._tag) < 64:
            self._tag += text

    def on_enter_key(self) -> bool:
        if self.factor != "tag":
            self.submit()
            return True
        tag, self._tag = self._tag, ""
        if tag.strip():
            session = self.app.session
            self._checking(lambda: session.verify_tag(tag))
        return True

    def mismatch(self) -> None:
        self.day = self.month = self.year = ""
        self.box = 0
        self._pin = ""
        app = self.app
        self.error = app.tr("ui.verify.mismatch", nik=grouped_in_text(app.session.nik),
                            tries=self.tries_left if self.tries_left is not None else "-")
        app.assist.say(self.error)
        self._update()

    def clear(self) -> None:
        self.day = self.month = self.year = self.month_name = self.pin_shown = self.error = ""
        self.box = 0
        self._pin = self._tag = ""
        self.checking = False
