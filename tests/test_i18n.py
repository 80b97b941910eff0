"""Every message exists in both languages, with the same placeholders, and every key the code names exists."""

import re
import string
from pathlib import Path

import pytest

from appliance.i18n import LANGUAGES, catalog, translate

REPO = Path(__file__).resolve().parent.parent
# _("key"), translate("key"), t("key") and the error base's SomethingError("key", ...) (appliance/errors.py).
KEY_USE = re.compile(r"""(?:\b_|\btranslate|\bt|Error)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_every_language_with_the_same_placeholders():
    problems = []
    for key, entry in catalog().items():
        for lang in LANGUAGES:
            if not entry.get(lang, "").strip():
                problems.append(f"{key}: no {lang}")
        if all(lang in entry for lang in LANGUAGES) and _fields(entry["id"]) != _fields(entry["en"]):
            problems.append(f"{key}: placeholders differ")
    assert not problems, "\n".join(problems)


def test_every_key_named_in_the_code_exists():
    keys = catalog()
    missing = []
    for path in (REPO / "appliance").rglob("*.py"):
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            if key not in keys:
                missing.append(f"{path.relative_to(REPO)}: {key}")
    assert not missing, "\n".join(missing)


def test_translate_formats_and_falls_back():
    assert translate("import.row.nik.length", "en", digits=15) == "A NIK must have 16 digits; this one has 15."
    assert translate("import.row.nik.length", "id", digits=15) == "NIK harus 16 angka, tertulis 15 angka."
    assert translate("no.such.key", "id") == "no.such.key"


def _parsers(parser):
    """The parser and every sub-parser below it."""
    import argparse

    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def test_the_command_line_speaks_the_chosen_language(capsys):
    """Every help line of every `semenit` command, and argparse's own words, come from the catalog."""
    from appliance.cli import ARGPARSE_MESSAGES, build_parser, main
    from appliance.i18n import set_language

    assert set(ARGPARSE_MESSAGES.values()) <= set(catalog())
    for lang in LANGUAGES:
        set_language(lang)
        texts = {entry[lang] for entry in catalog().values()}
        untranslated = [f"{parser.prog} {'/'.join(action.option_strings) or action.dest}: {action.help}"
                        for parser in _parsers(build_parser()) for action in parser._actions
                        if action.help and action.help not in texts]
        assert not untranslated, "\n".join(untranslated)
    set_language("id")
    with pytest.raises(SystemExit) as stopped:
        main(["letter", "issue"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "cara pakai: semenit letter issue" in err
    assert "kesalahan: isian berikut wajib diberikan: type, --nik" in err
    assert "usage" not in err and "error" not in err
