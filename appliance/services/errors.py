"""What a person reads of a failure in a use case, whichever part raised it.

`SemenitError` (appliance/errors.py) carries a catalog key and is rendered in the reader's language; the
letter errors are SemenitErrors. The import's refusal (ImportRefused, residents area) still renders itself
with message(lang) until it moves onto the base; it is named here by type, so no layer guesses at
another's attributes. Any other exception is a fault, not a message: None, and the caller shows its
generic sentence.
"""

from __future__ import annotations

from appliance.errors import SemenitError
from appliance.residents.importing import ImportRefused


def user_message(exc: BaseException, lang: str | None = None) -> str | None:
    if isinstance(exc, SemenitError):
        return exc.text(lang)
    if isinstance(exc, ImportRefused):
        return exc.message(lang)
    return None
