from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty

from appliance.services import day_summary
from appliance.services import operator as op
from appliance.services import operator_actions as actions
from appliance.uix.ui_screens import KScreen


class OperatorScreen(KScreen):
    """The operator menu (after the hidden gesture and the PIN). Results show in one line at the bottom."""

    screen_name = "operator"
    result = StringProperty("")
    usb_text = StringProperty("")
    busy_text = StringProperty("")
    summary_due = BooleanProperty(False)  # a letter of today is on no printed daily summary yet

    def refresh(self) -> None:
        self._status_line()
        unit = self.app.unit  # the register is read off the UI thread: it grows all year
        self.app.background(lambda: day_summary.day_summary_due(unit), done=self._summary_due,
                            fail=lambda exc: None, keep=True)

    def _status_line(self) -> None:
        app = self.app
        files = app.usb_files
        refused = app.usb_watcher.refused  # a stick the unit could not mount (NTFS, damaged): say so
        # One line: a stick comes first (the import is why the officer came), then the reminder.
        self.usb_text = (app.tr("ui.operator.usb_found", n=len(files), name=files[0].name) if files
                         else refused[0].message() if refused
                         else app.tr("letters.summary.due") if self.summary_due
                         else app.tr("ui.operator.usb_none", folder=app.unit.usb_conf["mount_dir"]))

    def _summary_due(self, due: bool) -> None:
        self.summary_due = due
        self._status_line()

    def _run(self, work, busy_key: str) -> None:
        app = self.app
        self.busy_text = app.tr(busy_key)
        app.background(work, done=self.show_result,
                       fail=lambda exc: self.show_result(app.tr("ui.operator.failed", error=str(exc)[:300])),
                       keep=True)

    def show_result(self, text: str) -> None:
        """The outcome in a dialog the operator closes (the menu keeps its room for big buttons)."""
        self.result = text
        self.busy_text = ""
        if self.app.sm.current == self.name:
            self.app.message(self.app.tr("ui.operator.title"), text)
            self.refresh()  # an action may have changed what the menu says (the summary printed)

    def do_import(self) -> None:
        self.app.show("operator_import")

    def do_letters(self) -> None:
        self.app.show("operator_letters")

    def do_print_code(self) -> None:
        self.app.show("operator_code")

    def do_export(self) -> None:
        unit = self.app.unit
        self._run(lambda: actions.export_to_stick(unit), "ui.operator.exporting")

    def do_day_summary(self) -> None:
        """Today's summary with the register's anchor on paper, for the secretary to sign and file."""
        unit = self.app.unit
        self._run(lambda: day_summary.print_day_summary(unit), "letters.summary.printing")

    def do_printer_test(self) -> None:
        unit = self.app.unit
        self._run(lambda: actions.printer_test(unit), "ui.operator.working")

    def do_queue_reset(self) -> None:
        app = self.app
        unit = app.unit
        app.message(app.tr("ui.operator.queue_reset"), app.tr("ui.operator.queue_reset_confirm"), buttons=[
            (app.tr("ui.common.cancel"), "secondary", None, "cancel"),
            (app.tr("ui.operator.queue_reset"), "danger",
             lambda: self._run(lambda: actions.queue_reset(unit), "ui.operator.working"), "confirm"),
        ])

    def do_held(self) -> None:
        """Letters held after a printer fault: listed, and printed only when the operator says so."""
        app = self.app
        unit = app.unit
        text = actions.held_text(unit)
        buttons: list[tuple[str, str, Callable[[], object] | None, str]] = [
            (app.tr("ui.common.cancel"), "secondary", None, "cancel")]
        if unit.printers is not None and text != app.tr("ui.held.none"):
            buttons.append((app.tr("ui.held.release"), "go",
                            lambda: self._run(lambda: actions.release_held(unit), "ui.operator.working"),
                            "release"))
        app.message(app.tr("ui.operator.held"), text, buttons=buttons)

    def do_survey(self) -> None:
        unit = self.app.unit
        self._run(lambda: actions.export_survey(unit), "ui.operator.exporting")

    def do_profile(self) -> None:
        app = self.app
        app.message(app.tr("ui.operator.profile"), actions.profile_report(app.unit))

    def do_system(self, name: str) -> None:
        app = self.app
        action = op.system_action(name, op.on_unit(app.unit.ui_conf))

        def go():
            if op.run_system_action(action):
                self.show_result(app.tr(f"ui.operator.{name}_now"))
            else:
                self.show_result(app.tr("ui.operator.desktop_would", command=" ".join(action.command)))

        app.message(app.tr(f"ui.operator.{name}"), app.tr(f"ui.operator.{name}_confirm"), buttons=[
            (app.tr("ui.common.cancel"), "secondary", None, "cancel"),
            (app.tr(f"ui.operator.{name}"), "danger", go, "confirm"),
        ])

    def clear(self) -> None:
        self.result = self.busy_text = ""
