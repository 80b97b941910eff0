"""What a person reads of a failure in a use case, whichever part raised it.

`SemenitError` (appliance/errors.py) carries a catalog key and is rendered in the reader's language. The
letter and import errors still carry their text (LetterError.message, ImportRefused.message(lang)) until
they move onto the base; they are named here by type, so no layer guesses at another's attributes. Any
other exception is a fault, not a message: None, and the caller shows its generic sentence.
"""

from __future__ import annotations

from appliance.errors import SemenitError
from appliance.letters.service import LetterError
from appliance.residents.importing import ImportRefused


def user_message(exc: BaseException, lang: str | None = None) -> str | None:
    if isinstance(exc, SemenitError):
        return exc.text(lang)
    if isinstance(exc, LetterError):
        return exc.message
    if isinstance(exc, ImportRefused):
        return exc.message(lang)
    return None
