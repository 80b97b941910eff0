"""Letters held back after a printer fault: never printed after the resident has gone, unless the operator
releases them.

Why: a letter carries a resident's personal data and is a signed statement. When the printer runs out
of paper or goes offline while printing, the spool would print the letter by itself as soon as the
printer is back — perhaps an hour later, into an empty tray anyone can reach. So the kiosk holds the
job at the first fault: the spool keeps it (with its letter number, which stays taken) but stops it,
and it prints only when an operator releases it (operator menu, or `semenit printer retry JOB`).

A small JSON file lists the held jobs with their letter number. A listed job the spool has sent again
(released from the CLI) is no longer held and drops out of the list. No Kivy here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from appliance.storage.document import locked_document

HELD_FILE = "held_letters.json"


@dataclass
class HeldLetter:
    job: str
    number: str
    letter: str
    held_at: float


class HeldLetters:
    def __init__(self, home: Path, spool):
        self.path = Path(home) / HELD_FILE
        self.spool = spool

    def hold(self, job_id: str, number: str = "", letter: str = "") -> bool:
        """Stop a job that has not printed and remember it. False when it already printed."""
        job = self.spool.get(job_id)
        if job is None or job.state == "done":
            return False
        stopped = self.spool.cancel(job_id)
        if stopped.state == "done":
            return False
        with locked_document(self.path) as doc:
            doc[job_id] = {"number": number, "letter": letter, "held_at": time.time()}
        return True

    def list(self) -> list[HeldLetter]:
        """Held letters still waiting for the operator, oldest first."""
        with locked_document(self.path) as doc:
            out = []
            for job_id, entry in list(doc.items()):
                job = self.spool.get(job_id)
                if job is None or job.state != "failed":
                    del doc[job_id]  # released elsewhere, or cleaned from the spool
                    continue
                out.append(HeldLetter(job_id, entry.get("number", ""), entry.get("letter", ""),
                                      float(entry.get("held_at", 0))))
        return sorted(out, key=lambda h: h.held_at)

    def release(self, job_id: str):
        """The operator stands at the printer: send the letter now."""
        job = self.spool.retry(job_id)
        with locked_document(self.path) as doc:
            doc.pop(job_id, None)
        return job
