"""The `semenit` command. Each `cmd_*.py` module in this package adds its sub-commands.

A module defines `register(subparsers)` and sets `func` on its parsers; the function takes the parsed
arguments and returns an exit status. COMMAND_MODULES names each command's module: a command line
imports only its own (tests/structure checks the table against what the modules register). Failures the
user can act on raise `CliError` with a one-line message from the catalog; nothing here prints a
traceback at a technician.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys

from appliance import __version__
from appliance.errors import SemenitError
from appliance.i18n import LANGUAGES, _, set_language


class CliError(SemenitError):
    """A command stops with one message and exit status `code`: a catalog key with its parameters, or
    `cause`, the refusal of a use case passed on whole (its own key, parameters and wording)."""

    def __init__(self, key: str, code: int = 1, *, cause: SemenitError | None = None, **params: object):
        super().__init__(key, **params)
        self.code = code
        self.cause = cause

    @classmethod
    def of(cls, exc: SemenitError, code: int = 1) -> CliError:
        return cls(exc.key, code, cause=exc)

    @classmethod
    def lines(cls, lines: list[str], code: int = 1) -> CliError:
        """Several sentences already taken from the catalog (a refusal and its reasons), one per line."""
        return cls("cli.lines", code, lines="\n".join(lines))

    def text(self, lang: str | None = None) -> str:
        return self.cause.text(lang) if self.cause is not None else super().text(lang)


def _pop_lang(argv: list[str]) -> tuple[list[str], str | None]:
    """Accept --lang anywhere on the line (`semenit import F --lang en`)."""
    out, lang, skip = [], None, False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--lang" and i + 1 < len(argv):
            lang, skip = argv[i + 1], True
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            out.append(arg)
    return out, lang


# argparse's own words (usage, section titles, its error messages) go through gettext, which Python ships
# in English only. These are its message ids, mapped to our catalog; an id a later Python changes simply
# stays English.
ARGPARSE_MESSAGES = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "show program's version number and exit": "cli.argparse.version",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "expected one argument": "cli.argparse.expected_one",
    "expected at least one argument": "cli.argparse.expected_some",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "ignored explicit argument %r": "cli.argparse.ignored_explicit",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
}


def _argparse_text(message: str) -> str:
    key = ARGPARSE_MESSAGES.get(message)
    return _(key) if key else message


# command -> the module that registers it. A cold `semenit queue take` then imports one command module, not
# fifteen (about a tenth of its time); the help, an unknown command or none registers them all.
COMMAND_MODULES = {
    "demo-data": "cmd_demo", "firmware": "cmd_firmware", "import": "cmd_import", "rollback": "cmd_import",
    "held": "cmd_jobs", "keys": "cmd_keys", "letter": "cmd_letter", "operator": "cmd_operator",
    "printer": "cmd_printer", "queue": "cmd_queue", "register": "cmd_register", "residents": "cmd_residents",
    "run": "cmd_run", "selftest": "cmd_selftest", "ui-tour": "cmd_ui_tour", "verify": "cmd_verify",
    "verify-page": "cmd_verify",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of `command` when it is one (the rest are not imported)."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]  # see ARGPARSE_MESSAGES
    parser = argparse.ArgumentParser(prog="semenit", description=_("cli.description"))
    parser.add_argument("--version", action="version", version=f"semenit {__version__}",
                        help=_("cli.argparse.version"))
    sub = parser.add_subparsers(dest="command", metavar=_("cli.metavar.command"), help=_("cli.help.command"))
    sub.required = True
    modules = {COMMAND_MODULES[command]} if command in COMMAND_MODULES else set(COMMAND_MODULES.values())
    for name in sorted(modules):
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv, lang = _pop_lang(list(sys.argv[1:] if argv is None else argv))
    if lang is not None:
        if lang not in LANGUAGES:
            print(_("cli.unknown_language", lang=lang, choices=", ".join(LANGUAGES)), file=sys.stderr)
            return 2
        set_language(lang)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(exc.text(), file=sys.stderr)
        return exc.code
    except SemenitError as exc:  # a use case refused, in the catalog's words: one line, no traceback
        print(exc.text(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # A full disk: one clear line instead of a traceback. Every writer leaves its old data whole
        # (atomic replacement, a register append cut back), so that is what the message can promise.
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            print(_("storage.read_only", path=exc.filename or "-", reason=exc.strerror or str(exc)), file=sys.stderr)
            return 1
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        print(_("storage.disk_full", reason=exc.strerror or str(exc)), file=sys.stderr)
        return 1
    except Exception as exc:  # the state and settings errors every command may meet, as one line
        from appliance.storage.failures import one_line

        line = one_line(exc)
        if line is None:
            raise
        print(line, file=sys.stderr)
        return 1
