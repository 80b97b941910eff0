"""Which sheet of an .xlsx holds the residents, and whether it is safe to hand to the reader.

The reader (calamine) builds a dense grid from the top-left cell to the furthest one: a 2 KB file with
one cell at XFD1048576 asks for 17 billion cells and aborts the process (in the kiosk, the UI with it).
So before reading, the sheet's declared `<dimension>` and every cell and row position actually written
are checked against the limits, streaming the decompressed XML in chunks (bounded memory, no parse
tree). Cells written without a position are counted per row, as the reader places them.

The residents are on the first *visible* worksheet: a hidden first sheet (an old copy, a lookup list)
is what the operator never saw, so it is never what gets imported.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from xml.etree import ElementTree

MAX_COLUMNS = 256  # OpenSID writes 43 columns, SIAK 37
MAX_CELLS = 12_000_000  # the dense grid the reader builds: 100,000 residents x 43 columns is 4.3 million
_CHUNK = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# A <row> or <c> start tag (any namespace prefix) and its attributes; <dimension ref="A1:U100">.
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb'\sr="([A-Z]{1,4})([0-9]{1,8})"')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,8})"')
# Patterns that start with a literal, so that the regex engine skips ahead in C (100 MB in ~0.2 s each).
_WIDE_COLUMN = re.compile(rb'<c r="([A-Z]{2,4})[0-9]')
_BIG_ROW = re.compile(rb' r="[A-Z]{0,4}([0-9]{6,})"')
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]{1,4})([0-9]{1,8})"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>')
_SMALL_ROWS = 99_999  # the most a row number without a sixth digit can be
_ROW_OF_LENGTH = [re.compile(rb'<c r="[A-Z]{1,4}([0-9]{%d})"' % n) for n in range(5, 0, -1)]
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*?ref="([A-Z]{0,4})([0-9]{0,8})(?::([A-Z]{1,4})([0-9]{1,8}))?"')


# Internal, not a SemenitError: read_table turns it into a FileError, then ImportRefused.
class SheetTooBig(Exception):
    """The sheet reaches past the rows, columns or cells a resident export can have."""


# Internal, not a SemenitError: read_table turns it into a FileError, then ImportRefused.
class NoVisibleSheet(Exception):
    pass


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def first_visible_sheet(archive: zipfile.ZipFile, calamine_sheets) -> tuple[str, str | None]:
    """(sheet name, its member path in the zip) of the first visible worksheet."""
    visible = [s.name for s in calamine_sheets if str(s.visible).endswith("Visible") and
               str(s.typ).endswith("WorkSheet")]
    if not visible:
        raise NoVisibleSheet()
    return visible[0], _member_of(archive, visible[0])


def _member_of(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip member holding sheet `name`, through workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PKG_REL)}
    for sheet in book.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == name:
            target = targets.get(sheet.get(_REL_ID), "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return path if path in archive.namelist() else None
    return None


def check_extent(archive: zipfile.ZipFile, member: str, max_rows: int) -> None:
    """Raise SheetTooBig if the sheet declares or holds a cell past the limits."""
    with archive.open(member) as stream:
        _check_dimension(stream.read(_CHUNK), max_rows)
    rows = cols = 0
    for data in _chunks(archive, member):
        # Every writer we know (Excel, LibreOffice, OpenSID) writes <c r="A1" ...>: then a few passes in C
        # find the extent. Any other cell (no position, position not first, a namespace prefix) is placed
        # by the reader by counting, and only the tag-by-tag walk numbers it the same way.
        # (b":c" also meets text such as "http:c..."; that only costs the slow walk.)
        if b"<c>" in data or b"<c/>" in data or b":c" in data or data.count(b"<c ") != data.count(b'<c r="'):
            _walk(archive, member, max_rows)
            return
        # One-letter columns are at most Z; only the wider ones need reading.
        wide = set(_WIDE_COLUMN.findall(data))
        cols = max(cols, *(column_number(c) for c in wide)) if wide else max(cols, 26 if b'<c r="' in data else 0)
        big = _BIG_ROW.findall(data)
        if big:
            rows = max(rows, *(int(n) for n in big))
        elif cols * _SMALL_ROWS > MAX_CELLS:
            # A wide sheet: the exact last row matters. Numbers of one length compare right as bytes.
            for pattern in _ROW_OF_LENGTH:
                found = pattern.findall(data)
                if found:
                    rows = max(rows, int(max(found)))
                    break
        if rows > max_rows or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
            raise SheetTooBig()


def uncomputed_formulas(archive: zipfile.ZipFile, member: str) -> frozenset[tuple[int, int]]:
    """(row, 0-based column) of formula cells saved without their value (written by a program, never
    opened in Excel): the reader gives them as empty, which would wipe what the store holds."""
    found = set()
    for data in _chunks(archive, member):
        if b"<f" not in data:
            continue
        for letters, row in _FORMULA_WITHOUT_VALUE.findall(data):
            found.add((int(row), column_number(letters) - 1))
    return frozenset(found)


def _chunks(archive: zipfile.ZipFile, member: str):
    """The member's bytes in chunks cut after a '>' so that no tag is split."""
    tail = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                if tail:
                    yield tail
                return
            data = tail + chunk
            cut = data.rfind(b">") + 1
            data, tail = data[:cut], data[cut:]
            if len(tail) > _CHUNK:  # no tag ends in a whole chunk: not a sheet anyone wrote
                raise SheetTooBig()
            yield data


def _walk(archive: zipfile.ZipFile, member: str, max_rows: int) -> None:
    """Number rows and cells as the reader does, tag by tag."""
    rows = cols = row = col = 0
    for data in _chunks(archive, member):
        for tag, attrs in _TAG.findall(data):
            if tag == b"row":
                found = _ROW_NUMBER.search(attrs)
                row = int(found.group(1)) if found else row + 1
                col = 0
            else:
                found = _REF.search(attrs)
                if found:
                    col = column_number(found.group(1))
                    rows = max(rows, int(found.group(2)))
                else:
                    col += 1
            rows, cols = max(rows, row), max(cols, col)
            if rows > max_rows or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
                raise SheetTooBig()


def _check_dimension(head: bytes, max_rows: int) -> None:
    found = _DIMENSION.search(head[:65536])
    if not found:
        return
    last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
    cols = column_number(last_col) if last_col else 0
    rows = int(last_row) if last_row else 0
    if rows > max_rows or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise SheetTooBig()
