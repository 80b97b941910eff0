""""Panggil petugas": a resident calls an officer; the light shows the call pattern until an officer clears it.

A call has a number (counted per day, kept on disk so a restart does not reuse one) that the screen
shows, so the officer who comes can say "nomor 3?" and the resident knows help is for them. One call is
open at a time: pressing again shows the same number. No Kivy, no GPIO here: the app lights the light.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from appliance.storage.document import locked_document

HELP_FILE = "help_calls.json"


class HelpCalls:
    def __init__(self, home: Path, today=date.today):
        self.path = Path(home) / HELP_FILE
        self.today = today

    def call(self) -> int:
        """Open a call (or return the one still open): its number."""
        with locked_document(self.path) as doc:
            day = self.today().isoformat()
            if doc.get("day") != day:
                doc.update(day=day, last=0, open=0)
            if not doc.get("open"):
                doc["last"] = int(doc.get("last", 0)) + 1
                doc["open"] = doc["last"]
            return int(doc["open"])

    def open_call(self) -> int:
        """The number of the call waiting for an officer, 0 when none (no lock file for a unit never called)."""
        if not self.path.exists():
            return 0
        with locked_document(self.path) as doc:
            return int(doc.get("open", 0) or 0)

    def clear(self) -> None:
        """The officer came."""
        with locked_document(self.path) as doc:
            doc["open"] = 0
