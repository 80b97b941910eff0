"""Every message exists in both languages, with the same placeholders, and every key the code names exists."""

import argparse
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
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def _unexplained(parser, lang: str) -> list[str]:
    """Every argument, option and sub-command slot below `parser` (argparse's own -h included, worded through
    ARGPARSE_MESSAGES) whose help line or placeholder is not a catalog text in `lang`: a technician reading
    `--help` over SSH sees no blank line, no English in the Indonesian page and no raw Python name."""
    texts = {entry[lang] for entry in catalog().values() if lang in entry}
    problems = []
    for sub in _parsers(parser):
        for action in sub._actions:
            where = f"{sub.prog} {'/'.join(action.option_strings) or action.dest}"
            if not action.help or action.help not in texts:
                problems.append(f"{where}: help {action.help!r} is not in the catalog ({lang})")
            takes_value = action.nargs != 0
            # a fixed set of values (--format pdf|escpos) shows itself; any other value needs a placeholder
            shows_choices = action.choices is not None and not isinstance(action, argparse._SubParsersAction)
            metavars = action.metavar if isinstance(action.metavar, tuple) else (action.metavar,)
            if takes_value and not shows_choices and action.metavar is None:
                problems.append(f"{where}: no placeholder (metavar), argparse would show the Python name")
            elif action.metavar is not None and any(m not in texts for m in metavars):
                problems.append(f"{where}: placeholder {action.metavar!r} is not in the catalog ({lang})")
    return problems


def test_every_argument_of_every_command_has_a_help_line_in_both_languages():
    from appliance.cli import build_parser
    from appliance.i18n import set_language

    try:
        for lang in LANGUAGES:
            set_language(lang)
            problems = _unexplained(build_parser(), lang)
            assert not problems, "\n".join(problems)
    finally:
        set_language("id")


def test_an_argument_added_without_help_is_caught():
    """The check above fails on the next option someone adds bare, or with a placeholder typed in the code."""
    from appliance.cli import build_parser

    parser = build_parser()
    issue = next(sub for sub in _parsers(parser) if sub.prog == "semenit letter issue")
    issue.add_argument("--copies", type=int)
    issue.add_argument("--stamp", metavar="STAMP", help=catalog()["cli.help.nik"]["id"])
    problems = _unexplained(parser, "id")
    assert any("semenit letter issue --copies: help None" in p for p in problems)
    assert any("semenit letter issue --copies: no placeholder" in p for p in problems)
    assert any("semenit letter issue --stamp: placeholder 'STAMP'" in p for p in problems)
    assert len(problems) == 3, problems


def test_help_pages_read_in_the_chosen_language(capsys):
    """`semenit letter issue --help` as a technician reads it: our words and placeholders, no Python names."""
    from appliance.cli import main

    for argv, present, absent in (
        (["letter", "issue", "--help"],
         ["cara pakai: semenit letter issue", "JENIS", "--nik NIK", "--field NAMA=NILAI", "--wait DETIK",
          "kode jenis surat", "semenit letter list", "16 angka", "boleh diberikan beberapa kali"],
         ["usage", "options", "NAME=VALUE", "type"]),
        (["letter", "issue", "--help", "--lang", "en"],
         ["usage: semenit letter issue", "TYPE", "--field NAME=VALUE", "--printer PRINTER", "16 digits"],
         ["cara pakai", "NAMA=NILAI", "JENIS"]),
        (["verify", "--help"], ["TEKS_QR", "beri tanda kutip"], ["qr_text"]),
        (["operator", "resident-pin", "--help", "--lang", "en"], ["NIK", "--pin-file PIN_FILE"],
         ["nik ", "pin_file"]),
    ):
        try:
            with pytest.raises(SystemExit) as stopped:
                main(argv)
        finally:
            from appliance.i18n import set_language

            set_language("id")
        assert stopped.value.code == 0
        out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines at the terminal's width
        for text in present:
            assert text in out, (argv, text, out)
        for text in absent:
            assert text not in out, (argv, text, out)


def test_the_command_line_speaks_the_chosen_language(capsys):
    """argparse's own words (usage, its refusals) come from the catalog; the help lines are checked above."""
    from appliance.cli import ARGPARSE_MESSAGES, main
    from appliance.i18n import set_language

    assert set(ARGPARSE_MESSAGES.values()) <= set(catalog())
    set_language("id")
    with pytest.raises(SystemExit) as stopped:
        main(["letter", "issue"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "cara pakai: semenit letter issue" in err
    assert "kesalahan: isian berikut wajib diberikan: JENIS, --nik" in err
    assert "usage" not in err and "error" not in err
