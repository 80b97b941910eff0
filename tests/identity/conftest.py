"""The identity tests use the letter tests' service fixture (a LetterService with the `file` printer)."""

from tests.letters.conftest import make_service  # noqa: F401
