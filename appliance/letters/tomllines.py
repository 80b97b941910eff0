"""Where a key sits in a TOML file, for error messages that name a line.

tomllib reports the line of a syntax error but not of a semantically wrong value, and a template
author needs "line 14" to fix it. This scanner follows the TOML structure closely enough for our
templates: table headers, array-of-tables headers (counted), dotted keys, and multi-line arrays and
strings (whose inner lines are not keys). It only locates; tomllib still does the parsing.
"""

from __future__ import annotations

import re

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.split(r"\s*\.\s*(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", text))


def _scan_value(rest: str, state: dict) -> None:
    """Advance the multi-line state (open brackets, open triple-quoted string) over `rest`."""
    i = 0
    n = len(rest)
    while i < n:
        if state["string"]:
            end = rest.find(state["string"], i)
            if end < 0:
                return
            i = end + 3
            state["string"] = None
            continue
        ch = rest[i]
        if rest.startswith('"""', i) or rest.startswith("'''", i):
            state["string"] = rest[i:i + 3]
            i += 3
        elif ch == '"':
            i += 1
            while i < n and rest[i] != '"':
                i += 2 if rest[i] == "\\" else 1
            i += 1
        elif ch == "'":
            end = rest.find("'", i + 1)
            i = n if end < 0 else end + 1
        elif ch == "#":
            return
        elif ch in "[{":
            state["depth"] += 1
            i += 1
        elif ch in "]}":
            state["depth"] = max(0, state["depth"] - 1)
            i += 1
        else:
            i += 1


def key_lines(text: str) -> dict[tuple, int]:
    """{path: line}: ("code",) -> 1, ("fields", 0) -> header line, ("fields", 0, "max_length") -> 12."""
    lines: dict[tuple, int] = {}
    counters: dict[tuple, int] = {}
    table: tuple = ()
    state = {"depth": 0, "string": None}
    for number, line in enumerate(text.splitlines(), start=1):
        if state["string"] or state["depth"]:
            _scan_value(line, state)
            continue
        match = _ARRAY_HEADER.match(line)
        if match:
            name = _split_key(match.group(1))
            index = counters.get(name, 0)
            counters[name] = index + 1
            table = (*name, index)
            lines.setdefault(table, number)
            continue
        match = _HEADER.match(line)
        if match and not _KEY.match(line):
            table = _split_key(match.group(1))
            lines.setdefault(table, number)
            continue
        match = _KEY.match(line)
        if match:
            lines.setdefault((*table, *_split_key(match.group(1))), number)
            _scan_value(line[match.end():], state)
    return lines


def line_of(lines: dict[tuple, int], path: tuple, default: int = 1) -> int:
    """The line of `path`, else of its nearest enclosing table, else `default`."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return default


def line_containing(text: str, needle: str, start: int = 1) -> int | None:
    """The first line at or after `start` whose text contains `needle` (for a placeholder in a list)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    return None
