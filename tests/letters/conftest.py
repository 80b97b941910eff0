"""Fixtures of the letter tests: a LetterService on the real OpenSID residents with the `file` printer."""

from __future__ import annotations

import pytest

from appliance.config import Settings


@pytest.fixture
def make_service(semenit_home):
    """make_service(store, **village) -> LetterService printing to files in semenit_home/printed."""
    from appliance.letters.service import LetterService
    from appliance.printing import open_printers

    opened = []

    def make(store, settings: dict | None = None):
        conf = Settings(settings or {})
        printers = open_printers(conf, semenit_home)
        svc = LetterService(conf, semenit_home, store, printers)
        opened.append((svc, printers))
        return svc

    yield make
    for svc, printers in opened:
        svc.close()
        printers.close()
