from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty, OptionProperty, StringProperty

from appliance.services.errors import user_message
from appliance.uix.ui_screens import KScreen
from appliance.uix.widgets import KButton

MAX_FILES = 4


class OperatorImportScreen(KScreen):
    """USB import: pick the file on the stick → the report → confirm → a progress bar → the result.

    Nothing changes before the operator confirms; a full import that would mark many residents absent
    asks a second time (the import service refuses it otherwise)."""

    screen_name = "operator_import"
    stage = OptionProperty("files", options=("files", "planning", "report", "committing", "done"))
    text = StringProperty("")
    progress = NumericProperty(0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.plan = None
        self._ev = None

    def refresh(self) -> None:
        app = self.app
        grid = self.ids.files
        grid.clear_widgets()
        if self.stage != "files":
            return
        files = list(app.usb_files)[:MAX_FILES]
        self.text = app.tr("ui.import.choose") if files else app.tr(
            "ui.operator.usb_none", folder=app.unit.usb_conf["mount_dir"])
        for i, f in enumerate(files):
            b = KButton(role="secondary", name=f"file_{i}", text=f"{f.name}  ({_size(f.size)})", font_size=app.th.body,
                        grow=True, size_hint_y=None)
            b.bind(on_release=lambda _b, path=f.path: self.choose(path))
            grid.add_widget(b)

    def choose(self, path) -> None:
        app = self.app
        unit = app.unit
        self.stage = "planning"
        self.text = app.tr("ui.import.reading", name=path.name)
        self.ids.files.clear_widgets()
        self._spin(True)

        def work():
            return unit.plan_import(path, mode="full")

        app.background(work, done=self._planned, fail=self._failed, keep=True)

    def _planned(self, plan) -> None:
        self._spin(False)
        self.plan = plan
        self.stage = "report"
        self.text = plan.report.format_text(self.app.lang)
        self.app.marks["import_report"] = self.app.now()

    def _failed(self, exc) -> None:
        self._spin(False)
        self.stage = "done"
        message = user_message(exc, self.app.lang) or ""
        self.text = self.app.tr("ui.import.failed", error=message[:500])

    def commit(self, confirmed_absent: bool = False) -> None:
        app = self.app
        plan = self.plan
        if plan is None:
            return
        if plan.report.needs_confirmation and not confirmed_absent:
            app.message(app.tr("ui.import.mass_absent_title"), app.tr("ui.import.mass_absent"), buttons=[
                (app.tr("ui.common.cancel"), "secondary", None, "cancel"),
                (app.tr("ui.import.commit"), "danger", lambda: self.commit(True), "confirm"),
            ])
            return
        unit = app.unit
        self.stage = "committing"
        self.text = app.tr("ui.import.saving")
        self._spin(True)

        def work():
            changed = unit.commit_import(plan, confirm_mass_absent=confirmed_absent)
            return changed, unit.resident_count()

        def done(result):
            changed, total = result
            self._spin(False)
            self.progress = 100
            self.stage = "done"
            self.plan = None
            self.text = app.tr("ui.import.saved", total=total) if changed else app.tr("ui.import.nothing")

        app.background(work, done=done, fail=self._failed, keep=True)

    def _spin(self, on: bool) -> None:
        if self._ev is not None:
            self._ev.cancel()
            self._ev = None
        if on:
            self.progress = 0
            self._ev = Clock.schedule_interval(lambda dt: setattr(self, "progress", (self.progress + 3) % 100), 0.05)

    def cancel(self) -> None:
        self.clear()
        self.app.show("operator")

    def clear(self) -> None:
        self._spin(False)
        self.plan = None
        self.stage = "files"
        self.text = ""
        self.progress = 0
        if "files" in self.ids:
            self.ids.files.clear_widgets()


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"
