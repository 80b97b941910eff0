"""CUPS printers (a regular printer for PDF letters), through CUPS's own commands `lp`, `lpstat`,
`lpq` and `cancel` (package cups-client/cups-bsd), so nothing needs compiling.

Two-phase hand-over, so a job is never printed twice: the job is submitted *held* (`lp -H hold`) with
the title "semenit-<job id>", the spool records CUPS's request id, and only then releases it
(`lp -i ID -H resume`). A process killed in between leaves a held job that cannot print; on restart the
spool finds it by its title (`lpq -l`) and adopts it instead of sending another copy.

State from `lpstat -l -p`: idle → ready, printing → busy, a stopped queue (cupsdisable, or CUPS stopped
it after a backend error) → offline, and the printer's alerts (media-empty, cover-open, …).
"""

from __future__ import annotations

import os
import re
import subprocess

from appliance.printing.base import Printer
from appliance.printing.state import BLOCKING, PrinterError

TIMEOUT_S = 15
# printer-state-reasons (RFC 8011) → our status; checked in this order
REASONS = (
    ("cover-open", "cover_open"),
    ("door-open", "cover_open"),
    ("media-empty", "paper_out"),
    ("media-needed", "paper_out"),
    ("offline", "offline"),
    ("media-low", "paper_low"),
)


def title_for(job) -> str:
    return f"semenit-{job.id}"


def parse_printer_status(text: str) -> tuple[str, str]:
    """(status, detail) from the output of `lpstat -l -p QUEUE` (LC_ALL=C)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if not lines or not lines[0].startswith("printer "):
        return "unknown", text.strip()[:200]
    first = lines[0]
    alerts = ""
    for line in lines[1:]:
        m = re.match(r"\s*Alerts:\s*(.*)", line)
        if m:
            alerts = m.group(1).strip()
    reasons = {re.sub(r"-(error|warning|report)$", "", r) for r in re.split(r"[\s,]+", alerts) if r and r != "none"}
    for reason, status in REASONS:
        if reason in reasons:
            return status, f"CUPS: {alerts}"
    if " disabled since" in first:
        why = next((line.strip() for line in lines[1:2] if line.startswith("\t")), "")
        return "offline", f"CUPS queue stopped{': ' + why if why else ''}"
    if " now printing " in first:
        return "busy", ""
    if " is idle" in first:
        return "ready", ""
    return "unknown", first[:200]


class CupsPrinter(Printer):
    backend = "cups"
    two_phase = True

    @property
    def queue(self) -> str:
        return str(self.config["queue"])

    def describe(self) -> str:
        server = self.config.get("server") or ""
        return f"cups {self.queue}" + (f" @ {server}" if server else "")

    def _run(self, args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        if self.config.get("server"):
            env["CUPS_SERVER"] = str(self.config["server"])
        try:
            return subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT_S, env=env, check=False)
        except FileNotFoundError as exc:
            raise PrinterError("offline", f"{args[0]} is not installed (Debian package cups-client)") from exc
        except subprocess.TimeoutExpired as exc:
            raise PrinterError("offline", f"{args[0]} did not answer in {TIMEOUT_S} s") from exc

    @staticmethod
    def _text(result: subprocess.CompletedProcess) -> str:
        return (result.stdout or b"").decode("utf-8", "replace") + (result.stderr or b"").decode("utf-8", "replace")

    def _read_status(self) -> tuple[str, str]:
        result = self._run(["lpstat", "-l", "-p", self.queue])
        if result.returncode != 0:
            raise PrinterError("offline", self._text(result).strip()[:200] or "lpstat failed")
        return parse_printer_status(result.stdout.decode("utf-8", "replace"))

    def _deliver(self, job, data: bytes) -> str | None:
        status, detail = self._read_status()
        if status in BLOCKING:
            raise PrinterError(status, detail)  # kept in our spool, where the kiosk can see it
        args = ["lp", "-d", self.queue, "-H", "hold", "-t", title_for(job)]
        for option in self.config.get("options") or []:
            args += ["-o", str(option)]
        result = self._run(args + ["-"], data)
        match = re.search(r"request id is (\S+)", self._text(result))
        if result.returncode != 0 or not match:
            # a held job that did not get an id cannot print: nothing in doubt
            raise PrinterError("offline", self._text(result).strip()[:200] or "lp failed")
        return match.group(1)

    def _release(self, remote: str) -> None:
        result = self._run(["lp", "-i", remote, "-H", "resume"])
        if result.returncode != 0:
            raise PrinterError("offline", self._text(result).strip()[:200])

    def _jobs(self, which: str) -> set[str]:
        result = self._run(["lpstat", "-W", which, "-o", self.queue])
        if result.returncode != 0:
            raise PrinterError("offline", self._text(result).strip()[:200])
        return {line.split()[0] for line in result.stdout.decode("utf-8", "replace").splitlines() if line.strip()}

    def _remote_status(self, remote: str) -> tuple[str, str]:
        if remote in self._jobs("not-completed"):
            return "pending", ""
        if remote in self._jobs("completed"):
            return "done", ""
        return "failed", f"CUPS no longer knows job {remote}"

    def _find_remote(self, job) -> str | None:
        result = self._run(["lpq", "-P", self.queue, "-l"])
        if result.returncode != 0:
            raise PrinterError("offline", self._text(result).strip()[:200])
        text = result.stdout.decode("utf-8", "replace")
        job_no = None
        for line in text.splitlines():
            m = re.search(r"\[job (\d+)", line)
            if m:
                job_no = m.group(1)
            elif job_no and line.strip().split(" ")[0] == title_for(job):
                return f"{self.queue}-{job_no}"
        return None

    def cancel_remote(self, remote: str) -> None:
        self._run(["cancel", remote])
