"""The `file` printer: every job becomes a file in a folder (development, tests, a kiosk with no printer).

The file name is the job's id, so delivering the same job twice (a retry after a crash) rewrites the
same file instead of printing a second copy.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from appliance.printing.base import Printer
from appliance.printing.state import PrinterError
from appliance.storage.atomic import atomic_write

EXTENSIONS = {"pdf": "pdf", "escpos": "bin"}


class FilePrinter(Printer):
    backend = "file"
    redelivery_harmless = True  # the output's name is the job's id: a second delivery rewrites the same file

    @property
    def folder(self) -> Path:
        folder = self.config.get("folder") or ""
        if folder:
            return Path(os.path.expanduser(str(folder)))
        return Path(self.home) / "printed"

    def describe(self) -> str:
        return str(self.folder)

    def output_path(self, job) -> Path:
        ref = re.sub(r"[^A-Za-z0-9._-]+", "-", job.ref or "").strip("-")[:60]
        stem = f"{job.id}-{ref}" if ref else job.id
        return self.folder / f"{stem}.{EXTENSIONS[job.format]}"

    def _deliver(self, job, data: bytes) -> str | None:
        path = self.output_path(job)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data, mode=0o640)  # letters carry personal data
        except OSError as exc:
            raise PrinterError("offline", f"{path.parent}: {exc.strerror}") from exc
        job.output = str(path)
        return None

    def _find_remote(self, job) -> str | None:
        # An output file with the job's name means the job was delivered before a crash.
        return str(self.output_path(job)) if self.output_path(job).exists() else None

    def _read_status(self) -> tuple[str, str]:
        folder = self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrinterError("offline", f"{folder}: {exc.strerror}") from exc
        if not os.access(folder, os.W_OK):
            raise PrinterError("offline", f"{folder}: not writable")
        return "ready", ""
