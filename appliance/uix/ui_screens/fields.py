from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from appliance.services.kiosk import Step, localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.widgets import KButton

# The field types (appliance.letters.catalog.FIELD_TYPES) typed on the digit keyboard.
NUMERIC_TYPES = ("number", "money", "date")


class FieldsScreen(KScreen):
    """The letter's fields one at a time: choices as big buttons first; the keyboard only for free text."""

    screen_name = "fields"
    question = StringProperty("")
    hint = StringProperty("")
    typed = StringProperty("")
    optional = BooleanProperty(False)
    free_text = BooleanProperty(False)
    page = NumericProperty(0)
    pages = NumericProperty(1)
    extras_wanted = BooleanProperty(False)

    def per_page(self) -> int:
        # Rows of answers that fit (two lines of the body size each, as "Huruf besar" sets it), two across
        # on a landscape screen; fewer rows and more pages rather than an answer cut in half.
        th = self.app.th
        rows = max(1, int((self.ids.choices.height + th.gap) // (th.body * 2.34 + th.gap * 1.2 + th.gap)))
        return max(2, rows * (1 if th.portrait else 2))  # an answer and the page button at the least

    def fit(self) -> None:
        """The answers grid got its size: lay the page out again if it now holds another number of rows."""
        # Deliberate getattr: `_laid_out` exists only once refresh() has laid a page out (None before).
        if self.per_page() != getattr(self, "_laid_out", None) and self.app.session.current_field() is not None:
            Clock.schedule_once(lambda dt: self.refresh(), 0)

    def refresh(self) -> None:
        app = self.app
        self._laid_out = self.per_page()
        spec = app.session.current_field()
        grid = self.ids.choices
        grid.clear_widgets()
        if spec is None:
            self.clear()
            return
        if self.is_extra(spec) and not self.extras_wanted:
            Clock.schedule_once(lambda dt: self.skip_extras(), 0)
            return
        self.question = localized(spec, "label", app.lang) or spec.name
        self.optional = not spec.required
        choices = self._choices(spec)
        ftype = spec.type
        other = spec.allow_other
        self.free_text = not choices
        font = app.th.body
        if choices:
            # The question is the instruction (and is spoken); the room goes to the answers.
            self.hint = ""
            items: list[tuple[str, str, Callable[..., None]]] = [
                (f"choice_{i}", str(text), lambda _b, v=value: self.answer(v)) for i, (value, text) in enumerate(choices)]
            if other:
                # Plain like the other answers (blue is for actions): only the words say it opens a keyboard.
                items.append(("choice_other", app.tr("ui.fields.other"), lambda _b: self.open_keyboard()))
            slots = self.per_page()
            # More answers than slots: the last slot of every page turns the page, always in the same place.
            n = slots if len(items) <= slots else slots - 1
            self.pages = max(1, -(-len(items) // n))
            self.page = min(self.page, self.pages - 1)
            for name, text, action in items[self.page * n:(self.page + 1) * n]:
                b = KButton(role="secondary", name=name, text=text, font_size=font)
                b.bind(on_release=action)
                grid.add_widget(b)
            if self.pages > 1:
                last = self.page == self.pages - 1
                b = KButton(role="secondary", name="next" if not last else "first",
                            text=app.tr("ui.fields.first" if last else "ui.fields.more"), font_size=font)
                b.bind(on_release=lambda _b: self.turn(-self.page if last else 1))
                grid.add_widget(b)
        else:
            self.pages = 1
            self.hint = app.tr("ui.fields.date_hint" if ftype == "date" else "ui.fields.type_hint")
            b = KButton(role="primary", name="type", text=app.tr("ui.fields.type_button"), font_size=app.th.label,
                        size_hint_y=None, height=app.th.button * 1.3)
            b.bind(on_release=lambda _b: self.open_keyboard())
            grid.add_widget(b)
            grid.add_widget(Widget())
        hint = localized(spec, "hint", app.lang)
        if hint:
            self.hint = f"{hint}\n{self.hint}"

    def spoken(self) -> str:
        return " ".join(x for x in (self.question, self.hint) if x)

    def choices_for(self, spec) -> list[tuple[str, str]]:
        return self._choices(spec)

    def _choices(self, spec) -> list[tuple[str, str]]:
        """(value, text) pairs: the field's own choices, or the resident's family for a family_member field."""
        return self.app.session.field_choices(spec)

    def answer(self, value) -> None:
        self.page = 0
        self.typed = ""
        self.app.answer_field(value)
        self.skip_extras()

    def is_extra(self, spec) -> bool:
        """Offered on the preview instead of a step of its own (the session's rule)."""
        return self.app.session.is_extra_field(spec)

    def skip_extras(self) -> None:
        app = self.app
        session = app.session
        skipped = False
        while not self.extras_wanted and session.step == Step.FIELDS and self.is_extra(session.current_field()):
            session.set_field(None)
            skipped = True
        if skipped:
            app.show()

    def want_extra(self) -> None:
        """From the preview: back to the last (optional) field to type something after all."""
        self.extras_wanted = True
        self.app.back()

    def skip(self) -> None:
        self.answer(None)

    def turn(self, delta: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + delta))
        self.refresh()

    def open_keyboard(self) -> None:
        from appliance.uix.dialogs.keyboard import KeyboardDialog

        spec = self.app.session.current_field()
        ftype = spec.type
        numeric = ftype in NUMERIC_TYPES
        limit = 8 if ftype == "date" else spec.max_length or 60
        self.app.open_dialog(KeyboardDialog(title=self.question, text=self.typed, numeric=numeric,
                                            max_length=limit, on_done=lambda text: self._typed(text, ftype)))

    def _typed(self, text: str, ftype: str) -> None:
        self.typed = text
        if not text.strip():
            return
        if ftype == "date":
            digits = "".join(c for c in text if c.isdigit())
            try:
                text = date(int(digits[4:8]), int(digits[2:4]), int(digits[0:2])).isoformat()
            except ValueError:
                self.hint = self.app.tr("ui.verify.bad_date")
                return
        self.answer(text)

    def back(self) -> None:
        self.page = 0
        self.typed = ""
        self.app.back()

    def clear(self) -> None:
        self.extras_wanted = False
        self.question = self.hint = self.typed = ""
        self.page = 0
        if "choices" in self.ids:
            self.ids.choices.clear_widgets()
