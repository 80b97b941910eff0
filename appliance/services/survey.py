"""The public-service satisfaction survey (Survei Kepuasan Masyarakat, PermenPANRB 14/2017).

After a letter is printed the resident rates the service with one touch on a four-point scale (the
regulation's scale: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik). Only the rating, the letter
type and the time are kept: nothing that identifies the resident.

The index (IKM) follows the regulation: the mean score on the 1–4 scale times 25 gives 25–100, graded
A (88.31–100, sangat baik), B (76.61–88.30, baik), C (65.00–76.60, kurang baik), D (25.00–64.99, tidak
baik). With one question per visit the weighted mean over the nine elements reduces to the plain mean.
The operator exports a month as a spreadsheet: one sheet of answers, one with the index.

No Kivy here; appended as JSON lines (an append never rewrites what was there).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from appliance.storage.locks import file_lock

SURVEY_FILE = "survey.jsonl"
SCALE = (1, 2, 3, 4)
# (lowest index, grade, catalog key of the grade's words)
GRADES = ((88.31, "A"), (76.61, "B"), (65.00, "C"), (25.00, "D"))


@dataclass
class MonthResult:
    month: str
    count: int
    counts: dict[int, int]
    mean: float
    ikm: float
    grade: str


def grade(ikm: float) -> str:
    for low, letter in GRADES:
        if ikm >= low:
            return letter
    return "D"


class Survey:
    def __init__(self, home: Path, timezone: str = "Asia/Jakarta", clock=time.time):
        self.path = Path(home) / SURVEY_FILE
        self.tz = ZoneInfo(timezone)
        self.clock = clock

    def rate(self, score: int, letter: str = "") -> None:
        if score not in SCALE:
            raise ValueError(f"a rating is one of {SCALE}, not {score!r}")
        line = orjson.dumps({"t": self.clock(), "score": score, "letter": letter}) + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path.with_suffix(".lock")):
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

    def answers(self, month: str) -> list[dict]:
        """The answers of one month ("2026-11"), with their local time."""
        out: list[dict] = []
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return out
        for raw in lines:
            try:
                row = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue  # a line cut by a power failure
            local = datetime.fromtimestamp(float(row.get("t", 0)), self.tz)
            if local.strftime("%Y-%m") == month and row.get("score") in SCALE:
                out.append({"time": local.replace(tzinfo=None), "score": int(row["score"]),
                            "letter": str(row.get("letter", ""))})
        return out

    def month_result(self, month: str) -> MonthResult:
        rows = self.answers(month)
        counts = {s: sum(1 for r in rows if r["score"] == s) for s in SCALE}
        mean = sum(r["score"] for r in rows) / len(rows) if rows else 0.0
        ikm = round(mean * 25, 2)
        return MonthResult(month, len(rows), counts, round(mean, 3), ikm, grade(ikm) if rows else "-")

    def export(self, month: str, dest: Path, tr) -> Path:
        """The month as `dest` (.xlsx): answers and the index. `tr(key, **params)` gives the headings."""
        from openpyxl import Workbook

        result = self.month_result(month)
        wb = Workbook()
        sheet = wb.active
        sheet.title = tr("survey.sheet.answers")
        sheet.append([tr("survey.col.time"), tr("survey.col.letter"), tr("survey.col.score")])
        for row in self.answers(month):
            sheet.append([row["time"], row["letter"], row["score"]])
        index = wb.create_sheet(tr("survey.sheet.index"))
        index.append([tr("survey.col.month"), result.month])
        index.append([tr("survey.col.count"), result.count])
        for score in SCALE:
            index.append([tr(f"survey.score.{score}"), result.counts[score]])
        index.append([tr("survey.col.mean"), result.mean])
        index.append([tr("survey.col.ikm"), result.ikm])
        index.append([tr("survey.col.grade"), result.grade])
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        wb.save(dest)
        return dest
