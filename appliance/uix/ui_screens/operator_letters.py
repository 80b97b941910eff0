from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kivy.properties import StringProperty

from appliance.services import operator_actions as actions
from appliance.services.kiosk import localized
from appliance.uix.ui_screens import KScreen
from appliance.uix.widgets import KButton

VOID_REASONS = ("ui.letters_op.reason_wrong_data", "ui.letters_op.reason_misprint", "ui.letters_op.reason_request")


class OperatorLettersScreen(KScreen):
    """Reprint or void one of the latest letters; voiding asks for a reason (a choice, or typed)."""

    screen_name = "operator_letters"
    selected = StringProperty("")
    result = StringProperty("")

    def refresh(self) -> None:
        app = self.app
        self.ids.list.clear_widgets()
        unit = app.unit
        app.background(lambda: actions.recent_letters(unit), done=self._show,
                       fail=lambda exc: setattr(self, "result", app.tr("ui.operator.failed", error=str(exc)[:300])),
                       keep=True)

    def _show(self, rows) -> None:
        app = self.app
        grid = self.ids.list
        grid.clear_widgets()
        if not rows:
            self.result = app.tr("ui.letters_op.none")
        templates = app.unit.catalog.templates if app.unit.catalog is not None else {}
        for i, row in enumerate(rows):
            status = app.tr(f"ui.letters_op.status_{row['outcome']}") if row.get("outcome") else ""
            template = templates.get(row["type"])
            # The letter's name, not its code (BELUM_MENIKAH); the date day first, in the village's own time zone.
            title = localized(template, "title", app.lang) if template is not None else str(row["type"])
            b = KButton(role="go" if row["number"] == self.selected else "secondary", name=f"letter_row_{i}",
                        font_size=app.th.small, halign="left", grow=True, size_hint_y=None,
                        text=f"{row['number']}\n{title}\n{row['when']}  {status}")
            b.bind(on_release=lambda _b, n=row["number"]: self.select(n))
            grid.add_widget(b)

    def select(self, number: str) -> None:
        self.selected = number
        self.refresh()

    def _void_for(self, reason_key: str) -> None:
        self._void(self.app.tr(reason_key))

    def reprint(self) -> None:
        app, unit, number = self.app, self.app.unit, self.selected
        if not number:
            return
        app.background(lambda: actions.reprint(unit, number), done=self._done, fail=self._fail, keep=True)

    def void(self) -> None:
        app = self.app
        if not self.selected:
            return
        buttons: list[tuple[str, str, Callable[[], object] | None, str]] = [
            (app.tr(key), "secondary", partial(self._void_for, key), key.rsplit(".", 1)[1]) for key in VOID_REASONS]
        buttons.append((app.tr("ui.letters_op.reason_other"), "primary", self._void_typed, "reason_other"))
        buttons.append((app.tr("ui.common.cancel"), "secondary", None, "cancel"))
        app.message(app.tr("ui.letters_op.void_reason", number=self.selected), "", buttons=buttons)

    def _void_typed(self) -> None:
        from appliance.uix.dialogs.keyboard import KeyboardDialog

        self.app.open_dialog(KeyboardDialog(title=self.app.tr("ui.letters_op.void_reason", number=self.selected),
                                            text="", max_length=120, on_done=self._void))

    def _void(self, reason: str) -> None:
        app, unit, number = self.app, self.app.unit, self.selected
        if not reason.strip():
            return
        app.background(lambda: actions.void(unit, number, reason), done=self._done, fail=self._fail, keep=True)

    def _done(self, text: str) -> None:
        self.result = text
        self.refresh()

    def _fail(self, exc) -> None:
        self.result = self.app.tr("ui.operator.failed", error=str(exc)[:300])

    def clear(self) -> None:
        self.selected = self.result = ""
        if "list" in self.ids:
            self.ids.list.clear_widgets()

