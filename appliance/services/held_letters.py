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
SETTLE_POLL_S = 0.25


@dataclass
class HeldLetter:
    job: str
    number: str
    letter: str
    held_at: float


FAULTS = ("paper_out", "offline", "cover_open")


def letter_fault(printer_state, jobs: list) -> str:
    """What stops a resident's letter: the letter printer's fault (paper_out, offline, cover_open) while
    its jobs wait or before they exist (the letter is issued in a worker), "failed" when a job failed or
    hit an error, "" when nothing does. One rule for the screen and the tests."""
    waiting = [j for j in jobs if j.state != "done"]
    if printer_state is not None and printer_state.status in FAULTS and (waiting or not jobs):
        return str(printer_state.status)
    if any(j.state == "failed" or j.error for j in waiting):
        return "failed"
    return ""


class HeldLetters:
    def __init__(self, home: Path, spool):
        self.path = Path(home) / HELD_FILE
        self.spool = spool

    def hold(self, job_id: str, number: str = "", letter: str = "", settle_s: float = 10.0) -> bool:
        """Stop a job that has not printed and remember it. False when it already printed.

        An attempt of the spool's worker may be under way (it found the paper out and is about to put the
        job back as pending): the job is stopped again until it stays stopped. Call it off the UI thread."""
        with locked_document(self.path) as doc:
            doc[job_id] = {"number": number, "letter": letter, "held_at": time.time()}
        deadline = time.monotonic() + settle_s
        while True:
            job = self.spool.get(job_id)
            if job is None or job.state == "done":
                self._forget(job_id)
                return False
            if job.state != "failed":
                job = self.spool.cancel(job_id)
            if job.state == "failed" and not job.delivering:
                time.sleep(SETTLE_POLL_S)  # an attempt that was in flight has had its moment to land
                again = self.spool.get(job_id)
                if again is not None and again.state == "failed":
                    return True
            if time.monotonic() > deadline:
                return self.spool.get(job_id).state == "failed"
            time.sleep(SETTLE_POLL_S)

    def _forget(self, job_id: str) -> None:
        with locked_document(self.path) as doc:
            doc.pop(job_id, None)

    def list(self) -> list[HeldLetter]:
        """Held letters still waiting for the operator, oldest first."""
        with locked_document(self.path) as doc:
            out = []
            for job_id, entry in list(doc.items()):
                job = self.spool.get(job_id)
                if job is None or job.state == "done":
                    del doc[job_id]  # released elsewhere (and printed), or cleaned from the spool
                    continue
                if job.state != "failed":
                    continue  # being stopped, or being sent again on the operator's word
                out.append(HeldLetter(job_id, entry.get("number", ""), entry.get("letter", ""),
                                      float(entry.get("held_at", 0))))
        return sorted(out, key=lambda h: h.held_at)

    def release(self, job_id: str):
        """The operator stands at the printer: send the letter now."""
        job = self.spool.retry(job_id)
        with locked_document(self.path) as doc:
            doc.pop(job_id, None)
        return job
