"""What every resident screen offers besides its own task: spoken guidance, a touch sound, larger text,
"Panggil petugas", one "Batal" and the step indicator (issue 15).

Kept apart from the app (which only holds an `assist`) so the aids are one concern: a screen calls
`app.assist.…` and never reaches for a speaker or the light itself. Speech runs in its own thread
(appliance.uix.speech): nothing here waits for it.
"""

from __future__ import annotations

from pathlib import Path

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

from appliance.uix.speech import Speaker
from appliance.uix.theme import LARGE_TEXT_SCALE

# The resident's path, as the step indicator counts it ("Langkah 3 dari 6").
STEP_OF_SCREEN = {"letter": 1, "nik": 2, "verify": 3, "confirm": 4, "fields": 5, "preview": 6}
STEPS = len(STEP_OF_SCREEN)
SPEECH_DEFAULTS = {"enabled": False, "touch_sound": True, "wav_dir": ""}


def instruction_key(screen: str, factor: str = "birth_date") -> str:
    """The catalog key of what is said when `screen` appears."""
    return f"ui.speak.verify_{factor}" if screen == "verify" else f"ui.speak.{screen}"


class Assist(EventDispatcher):
    speech_on = BooleanProperty(False)
    large_text = BooleanProperty(False)
    help_number = NumericProperty(0)  # the open "Panggil petugas" call, 0 when none
    steps = NumericProperty(STEPS)

    def __init__(self, app, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        unit = app.unit
        self.conf = unit.settings.section("speech", SPEECH_DEFAULTS)
        wav_dir = str(self.conf.get("wav_dir") or "")
        self.speaker = Speaker(Path(wav_dir) if wav_dir else None)
        self.speech_on = bool(self.conf.get("enabled"))
        self.help_number = unit.help_call_open()

    # --- per resident: forgotten with the session -----------------------------------------------------
    def reset(self) -> None:
        self.speech_on = bool(self.conf.get("enabled"))
        self.large_text = False

    def on_large_text(self, _obj, value) -> None:
        self.app.th.scale = LARGE_TEXT_SCALE if value else 1.0

    def toggle_speech(self) -> None:
        self.speech_on = not self.speech_on
        if self.speech_on:
            self.say(self.app.tr("ui.speak.on"))

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text

    # --- sound ------------------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        if self.speech_on and text:
            self.speaker.say(text, self.app.lang)

    def touched(self) -> None:
        if self.speech_on and self.conf.get("touch_sound", True):
            self.speaker.tone("touch")

    def warn(self) -> None:
        """The idle warning: a sound whether or not speech is on (the person may have turned away)."""
        self.speaker.tone("warning")
        self.say(self.app.tr("ui.speak.idle"))

    def screen_shown(self, screen) -> None:
        if not self.speech_on or screen.name.startswith("operator"):
            return
        spoken = getattr(screen, "spoken", None)  # deliberate: only screens with changing text define it
        text = spoken() if spoken is not None else ""
        if not text:
            key = instruction_key(screen.name, self.app.session.factor)
            text = self.app.tr(key)
            text = "" if text == key else text
        self.say(text)

    def key(self, key: str) -> None:
        """A keypad key: the digit, or what the key did."""
        if key.isdigit():
            self.say(key)
        else:
            self.say(self.app.tr(f"ui.keypad.{key}"))

    # --- the resident's way out and the way to a person ---------------------------------------------------
    def cancel_session(self) -> None:
        """"Batal": everything entered is forgotten, back to the start."""
        self.app.go_home()

    def summon(self) -> int:
        """Call an officer: the light shows the call pattern until one clears it (the unit's state rule).
        The call's number."""
        self.help_number = self.app.unit.call_help()
        return self.help_number

    def call_help(self) -> None:
        from appliance.uix.dialogs.help import HelpDialog

        self.summon()
        self.say(self.app.tr("ui.help.text", number=self.help_number))
        self.app.open_dialog(HelpDialog())

    def clear_help(self) -> None:
        """The officer came: the light goes back to what the unit's state says."""
        self.app.unit.clear_help()
        self.help_number = 0

    def close(self) -> None:
        self.speaker.close()
