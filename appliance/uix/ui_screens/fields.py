from __future__ import annotations

from datetime import date

from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from appliance.services.kiosk import localized
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

    def per_page(self) -> int:
        return 4 if self.app.th.portrait or self.app.th.px_mm * 100 > Window.height else 6

    def refresh(self) -> None:
        app = self.app
        spec = app.session.current_field()
        grid = self.ids.choices
        grid.clear_widgets()
        if spec is None:
            self.clear()
            return
        self.question = localized(spec, "label", app.lang) or spec.name
        self.optional = not spec.required
        choices = self._choices(spec)
        ftype = spec.type
        other = spec.allow_other
        self.free_text = not choices
        # Three lines of an answer must fit a half-height button on a 7" landscape panel.
        font = app.th.px_mm * 5.4 if app.th.px_mm * 100 > Window.height else app.th.body
        if choices:
            # A short landscape screen needs the room for the answers; the question says enough.
            self.hint = "" if app.th.px_mm * 100 > Window.height else app.tr("ui.fields.choose")
            n = self.per_page() - (1 if other else 0)
            self.pages = max(1, -(-len(choices) // n))
            self.page = min(self.page, self.pages - 1)
            for i, (value, text) in enumerate(choices[self.page * n:(self.page + 1) * n], start=self.page * n):
                b = KButton(role="secondary", name=f"choice_{i}", text=str(text), font_size=font)
                b.bind(on_release=lambda _b, v=value: self.answer(v))
                grid.add_widget(b)
            if other:
                b = KButton(role="primary", name="choice_other", text=app.tr("ui.fields.other"), font_size=font)
                b.bind(on_release=lambda _b: self.open_keyboard())
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

    def choices_for(self, spec) -> list[tuple[str, str]]:
        return self._choices(spec)

    def _choices(self, spec) -> list[tuple[str, str]]:
        """(value, text) pairs: the field's own choices, or the resident's family for a family_member field."""
        return self.app.session.field_choices(spec)

    def answer(self, value) -> None:
        self.page = 0
        self.typed = ""
        self.app.answer_field(value)

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
        self.question = self.hint = self.typed = ""
        self.page = 0
        if "choices" in self.ids:
            self.ids.choices.clear_widgets()
