"""Printing results for people and for machines (--json)."""

from __future__ import annotations

import sys

import orjson


def emit_json(value) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n")
