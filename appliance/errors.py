"""One error base for everything a person may read: a message key and its parameters; the text is in the
catalog (appliance/i18n/catalogs), in the reader's language.

Why a key and not a sentence: the same failure is shown on the kiosk in the resident's language, printed
by the CLI in `--lang`, and logged; a pre-translated string fixes the language where the error is raised
and cannot be matched on. `text(lang)` renders it; `str(exc)` is the text in the current language.
"""

from __future__ import annotations

from appliance.i18n import get_language, translate


class SemenitError(Exception):
    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params

    def text(self, lang: str | None = None) -> str:
        return translate(self.key, lang or get_language(), **self.params)

    def __str__(self) -> str:
        return self.text()
