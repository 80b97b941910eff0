"""The placeholder syntax of letter templates: `{namespace.key}` or `{namespace.key|filter}`.

Templates may come from a USB stick, so this is deliberately tiny: a placeholder names one value
from a fixed table and optionally one filter from a fixed list; nothing is evaluated. `{{` and `}}`
write literal braces. A text is compiled once (at catalog load) into literal and placeholder parts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_INNER = re.compile(r"^\s*([a-z_]+)\.([a-z0-9_]+)\s*(?:\|\s*([a-z_]+)\s*)?$")

FILTERS = ("upper", "lower", "title", "terbilang", "rupiah", "tanggal", "kalimat")


# Internal, not a SemenitError: the catalog check turns it into a TemplateError with the line.
class PlaceholderError(ValueError):
    """A text with a malformed placeholder; `token` is the offending text as written."""

    def __init__(self, message: str, token: str):
        super().__init__(message)
        self.token = token


class Placeholder(NamedTuple):
    namespace: str
    key: str
    filter: str | None
    token: str  # as written, to find its line in the file


def compile_text(text: str) -> tuple[str | Placeholder, ...]:
    """Split `text` into literal strings and placeholders. Raises PlaceholderError."""
    parts: list[str | Placeholder] = []
    pos = 0
    literal: list[str] = []
    for match in _TOKEN.finditer(text):
        literal.append(text[pos:match.start()])
        pos = match.end()
        token = match.group(0)
        if token == "{{":
            literal.append("{")
        elif token == "}}":
            literal.append("}")
        elif token in ("{", "}"):
            raise PlaceholderError("unbalanced", token)
        else:
            inner = _INNER.match(match.group(1))
            if not inner:
                raise PlaceholderError("malformed", token)
            namespace, key, flt = inner.groups()
            if flt is not None and flt not in FILTERS:
                raise PlaceholderError("filter", token)
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(Placeholder(namespace, key, flt, token))
    literal.append(text[pos:])
    tail = "".join(literal)
    if tail:
        parts.append(tail)
    return tuple(parts)


def placeholders(parts) -> list[Placeholder]:
    return [p for p in parts if isinstance(p, Placeholder)]


def render(parts, values: dict[str, dict[str, str]], apply_filter) -> str:
    """Join `parts`, looking each placeholder up in values[namespace][key] (missing -> '')."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = values.get(part.namespace, {}).get(part.key, "")
        out.append(apply_filter(part.filter, value) if part.filter else str(value))
    return "".join(out)
