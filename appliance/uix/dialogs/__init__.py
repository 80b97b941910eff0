"""Modal dialogs: a message with buttons, the idle warning, the operator PIN, the on-screen keyboard."""

from __future__ import annotations

from kivy.app import App
from kivy.uix.modalview import ModalView


class KDialog(ModalView):
    """A dialog that never closes by a stray touch outside it (auto_dismiss off)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)
        self._anim_duration = 0  # appear and go at once: no half-faded dialog over the next screen

    @property
    def app(self):
        return App.get_running_app()

    def close(self) -> None:
        app = self.app
        if app.dialog is self:
            app.close_dialog()
        else:
            self.dismiss()
