"""What a person reads of a failure in a use case, whichever part raised it.

`SemenitError` (appliance/errors.py) carries a catalog key and is rendered in the reader's language; every
exception a person may read is one (tests/structure/test_error_base.py holds the list of the internal
ones and why). Any other exception is a fault, not a message: None, and the caller shows its generic
sentence.
"""

from __future__ import annotations

from appliance.errors import SemenitError


def user_message(exc: BaseException, lang: str | None = None) -> str | None:
    if isinstance(exc, SemenitError):
        return exc.text(lang)
    return None
