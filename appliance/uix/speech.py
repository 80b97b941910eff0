"""Spoken guidance through espeak-ng (Debian's package, offline) and short sounds, never on the caller's thread.

A closed terminal must carry its own aids (EN 301 549 §5.1.3): a resident who cannot read the screen
hears each screen's instruction, the digits typed, errors and the result. The rule: `say()` and `tone()`
only hand the text to one worker thread and return at once, so no screen ever waits for speech. A newer
text replaces one not yet spoken and interrupts one being spoken: a resident who has moved on wants
the new screen, not the rest of the old one.

No Kivy here. With `wav_dir` set (tests, the tour) everything is written there as WAV files instead of
being played, so what a resident would hear can be checked.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import threading
import wave
from pathlib import Path

log = logging.getLogger(__name__)

VOICES = {"id": "id", "en": "en"}
RATE_WPM = 140  # slower than espeak-ng's 175: the listeners are elderly and it is a second language for some
# name -> (tone Hz, length s, repeats): a click on every touch, three beeps before the idle wipe
TONES = {"touch": (880, 0.05, 1), "warning": (660, 0.18, 3)}
SAMPLE_RATE = 16000


def tone_wav(hz: float, seconds: float, repeats: int) -> bytes:
    """A plain sine tone (with silences between repeats) as WAV bytes."""
    frames = bytearray()
    n = int(SAMPLE_RATE * seconds)
    for r in range(repeats):
        for i in range(n):
            frames += struct.pack("<h", int(9000 * math.sin(2 * math.pi * hz * i / SAMPLE_RATE)))
        if r < repeats - 1:
            frames += b"\0\0" * n
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(bytes(frames))
    return out.getvalue()


class Speaker:
    def __init__(self, wav_dir: Path | None = None, espeak: str | None = None, player: str | None = None):
        self.espeak = espeak or shutil.which("espeak-ng")
        self.player = player if player is not None else (shutil.which("aplay") or shutil.which("paplay"))
        self.wav_dir = Path(wav_dir) if wav_dir else None
        self.written: list[Path] = []  # WAV files made (wav_dir mode), in order
        self.said: list[str] = []  # texts spoken to their end (a newer one cuts an older one short)
        self.threads: set[str] = set()  # names of the threads that ran espeak-ng (never the caller's)
        self._cond = threading.Condition()
        self._speech: tuple[str, str] | None = None
        self._tones: list[str] = []
        self._proc: subprocess.Popen | None = None
        self._busy = False  # the worker holds an item: taken from the queue, its process not yet ended
        self._count = 0
        self._stop = False
        self._worker: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return bool(self.espeak)

    def say(self, text: str, lang: str = "id") -> None:
        """Speak `text` soon; returns at once."""
        text = " ".join(str(text).split())
        if not text or not self.available:
            return
        with self._cond:
            self._speech = (text, VOICES.get(lang, "id"))
            proc = self._proc
            self._cond.notify_all()
        if proc is not None and proc.poll() is None:
            proc.terminate()  # interrupt the old screen's sentence
        self._ensure_worker()

    def tone(self, name: str) -> None:
        if name not in TONES or (self.wav_dir is None and not self.player):
            return
        with self._cond:
            if len(self._tones) < 4:  # a burst of touches is one click, not a queue of them
                self._tones.append(name)
            self._cond.notify_all()
        self._ensure_worker()

    def idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is left to say (tests; never called from a screen)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._speech is None and not self._tones and not self._busy,
                                       timeout)

    def close(self) -> None:
        with self._cond:
            self._stop = True
            proc = self._proc
            self._cond.notify_all()
        if proc is not None and proc.poll() is None:
            proc.terminate()

    # --- the worker -------------------------------------------------------------------------------------
    def _ensure_worker(self) -> None:
        with self._cond:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="speech", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stop or self._speech is not None or self._tones)
                if self._stop:
                    return
                tone = self._tones.pop(0) if self._tones else None
                speech = None if tone else self._speech
                if speech is not None:
                    self._speech = None
                self._busy = True  # before the lock drops: idle() must not see a gap before the process starts
            try:
                if tone:
                    self._play_tone(tone)
                elif speech:
                    self._speak(*speech)
            except OSError as exc:  # no audio device, espeak-ng gone: the screen goes on without sound
                log.warning("speech failed: %s", exc.__class__.__name__)
            finally:
                with self._cond:
                    self._proc = None
                    self._busy = False
                    self._cond.notify_all()

    def _next_path(self, wav_dir: Path, kind: str) -> Path:
        self._count += 1
        return wav_dir / f"{self._count:04d}-{kind}.wav"

    def _speak(self, text: str, voice: str) -> None:
        self.threads.add(threading.current_thread().name)
        if not self.espeak:
            return
        cmd = [self.espeak, "-v", voice, "-s", str(RATE_WPM)]
        path = None
        if self.wav_dir is not None:
            self.wav_dir.mkdir(parents=True, exist_ok=True)
            path = self._next_path(self.wav_dir, "speech")
            cmd += ["-w", str(path)]
        with self._cond:
            self._proc = subprocess.Popen([*cmd, "--", text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            proc = self._proc
        if proc.wait() == 0:
            self.said.append(text)
            if path is not None:
                self.written.append(path)

    def _play_tone(self, name: str) -> None:
        data = tone_wav(*TONES[name])
        if self.wav_dir is not None:
            self.wav_dir.mkdir(parents=True, exist_ok=True)
            path = self._next_path(self.wav_dir, name)
            path.write_bytes(data)
            self.written.append(path)
            return
        player = self.player
        if not player:
            return
        with self._cond:
            self._proc = subprocess.Popen([player, "-q", "-"] if player.endswith("aplay") else
                                          [player], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
            proc = self._proc
        proc.communicate(data, timeout=10)
