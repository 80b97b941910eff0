"""Format detection and one reader per format, each with limits a hostile USB stick cannot pass."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 100,000-resident CSV is about 20 MB
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # everything inside a workbook, decompressed
MAX_MEMBER_RATIO = 200  # real sheets compress ~10-30x; zip bombs ~1000x
MAX_ROWS = 300_000
# A sheet formatted far past its data: this many empty rows in a row end the data.
EMPTY_RUN_ENDS_DATA = 1_000
HEADER_WITHIN_ROWS = 20  # where the header row is looked for (OpenSID puts a title or two above it)
END_MARKER = "###"  # OpenSID's templates end their data with a row starting '###'


# Internal, not a SemenitError: plan_import turns it into ImportRefused (which names the file).
class FileError(Exception):
    """The whole file is refused; `key`/`params` name the catalog message (the file is added later)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class RawTable:
    format: str  # "xlsx" | "xls" | "csv"
    header: list[str]
    header_row: int  # 1-based row number of the header, as the operator sees it in the spreadsheet
    rows: Iterator[tuple[int, list]]  # (1-based row number, cells)
    datemode: int = 0  # xls: 0 = 1900-based serial dates, 1 = 1904-based
    notes: list[str] = field(default_factory=list)
    # xlsx: (row, 0-based column) of formulas saved without a value; read as empty, they are refused instead.
    uncomputed: frozenset = frozenset()


def detect_format(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if b"\x00" in head:
        return None
    return "csv"


def read_table(path: Path) -> RawTable:
    path = Path(path)
    try:
        if not path.is_file():
            raise FileError("import.file.not_a_file")
        size = path.stat().st_size
        if size == 0:
            raise FileError("import.file.empty")
        if size > MAX_FILE_BYTES:
            raise FileError("import.file.too_big", mb=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))
        data = path.read_bytes()
    except OSError as exc:
        raise FileError("import.file.unreadable", reason=exc.strerror or str(exc)) from exc
    kind = detect_format(data[:4096])
    if kind == "xlsx":
        return _read_xlsx(data)
    if kind == "xls":
        return _read_xls(data)
    if kind == "csv":
        return _read_csv(data)
    raise FileError("import.file.unknown_format")


def _data_rows(rows: Iterator[list], first_row: int) -> Iterator[tuple[int, list]]:
    """Rows after the header, stopping at OpenSID's end marker or a long run of empty rows."""
    empty_run = 0
    for number, cells in enumerate(rows, start=first_row):
        if number - first_row >= MAX_ROWS:
            raise FileError("import.file.too_many_rows", limit=MAX_ROWS)
        first = cells[0] if cells else None
        if isinstance(first, str) and first.strip().startswith(END_MARKER):
            return
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN_ENDS_DATA:
                return
            continue
        empty_run = 0
        yield number, list(cells)


def _find_header(rows: Iterator[list]) -> tuple[int, list[str], Iterator[list]]:
    """The first row with at least two filled cells (within the first 20) is the header."""
    limit = HEADER_WITHIN_ROWS
    for number, cells in enumerate(rows, start=1):
        filled = [c for c in cells if c is not None and str(c).strip()]
        if len(filled) >= 2:
            header = ["" if c is None else str(c).strip() for c in cells]
            while header and not header[-1]:
                header.pop()
            return number, header, rows
        if number >= limit:
            break
    raise FileError("import.file.no_header", rows=limit)


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise FileError("import.file.damaged_workbook") from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileError("import.file.unknown_format")
    if "xl/vbaProject.bin" in names:
        raise FileError("import.file.macros")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO):
            raise FileError("import.file.zip_bomb")
    # A truncated download keeps its central directory but not its data: test every member's CRC.
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib.error) as exc:  # zlib: a damaged deflate stream
        raise FileError("import.file.damaged_workbook") from exc
    if bad is not None:
        raise FileError("import.file.damaged_workbook")
    return archive


def _read_xlsx(data: bytes) -> RawTable:
    archive = _check_zip(data)
    # calamine (Rust) reads a 100,000-row sheet about ten times faster than openpyxl.
    from python_calamine import CalamineWorkbook

    from appliance.residents.importers import xlsx_sheet

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise FileError("import.file.no_header", rows=HEADER_WITHIN_ROWS)
        name, member = xlsx_sheet.first_visible_sheet(archive, book.sheets_metadata)
        if member is None:
            raise FileError("import.file.damaged_workbook")
        # Before calamine builds its grid: a far-away cell would make it allocate without bound.
        xlsx_sheet.check_extent(archive, member, MAX_ROWS + EMPTY_RUN_ENDS_DATA + 20)
        uncomputed = xlsx_sheet.uncomputed_formulas(archive, member)
        sheet = book.get_sheet_by_name(name)
        source = sheet.iter_rows()
    except xlsx_sheet.SheetTooBig as exc:
        raise FileError("import.file.too_wide_or_long", rows=MAX_ROWS, columns=xlsx_sheet.MAX_COLUMNS) from exc
    except xlsx_sheet.NoVisibleSheet as exc:
        raise FileError("import.file.no_header", rows=HEADER_WITHIN_ROWS) from exc
    except FileError:
        raise
    except Exception as exc:  # calamine raises its own errors and ValueError/KeyError on a broken workbook
        raise FileError("import.file.damaged_workbook") from exc

    def cells() -> Iterator[list]:
        try:
            for row in source:
                yield [None if c == "" else c for c in row]
        except Exception as exc:
            raise FileError("import.file.damaged_workbook") from exc

    rows = cells()
    header_row, header, rows = _find_header(rows)
    return RawTable("xlsx", header, header_row, _data_rows(rows, header_row + 1), uncomputed=uncomputed)


def _read_xls(data: bytes) -> RawTable:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # xlrd.XLRDError, struct errors, ... on a broken file
        raise FileError("import.file.damaged_workbook") from exc

    def cells() -> Iterator[list]:
        for r in range(sheet.nrows):
            yield [None if c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else c.value for c in sheet.row(r)]

    rows = cells()
    header_row, header, rows = _find_header(rows)
    return RawTable("xls", header, header_row, _data_rows(rows, header_row + 1), datemode=book.datemode)


def _decode_text(data: bytes) -> str:
    try:
        return codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; cp1252 decodes every byte but five.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FileError("import.file.unknown_format") from exc


def _read_csv(data: bytes) -> RawTable:
    text = _decode_text(data)
    if sum(1 for ch in text[:4096] if ch < " " and ch not in "\r\n\t") > 0:
        raise FileError("import.file.unknown_format")
    # The delimiter is the one the header uses; a title line or two above it may have none.
    head_lines = text.split("\n", HEADER_WITHIN_ROWS)[:HEADER_WITHIN_ROWS]
    delimiter = max((",", ";", "\t"), key=lambda d: max(line.count(d) for line in head_lines))
    if not any(line.count(delimiter) for line in head_lines):
        raise FileError("import.file.no_header", rows=HEADER_WITHIN_ROWS)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        parsed = ([c if c.strip() else None for c in row] for row in reader)
        header_row, header, rows = _find_header(parsed)
    except csv.Error as exc:
        raise FileError("import.file.bad_csv", reason=str(exc)) from exc

    def guarded() -> Iterator[tuple[int, list]]:
        try:
            yield from _data_rows(rows, header_row + 1)
        except csv.Error as exc:
            raise FileError("import.file.bad_csv", reason=str(exc)) from exc

    return RawTable("csv", header, header_row, guarded())
