"""The queue tests print tickets on the printing tests' fake thermal printer (tests/printing/fakeprinter.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "printing"))
