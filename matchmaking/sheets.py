"""Reading a spreadsheet a user uploads, CSV or Excel (.xlsx), within bounds.

What a kind of file holds (its columns, the names a header may have) is the caller's `Columns`;
this module decodes the file (UTF-8, UTF-16 or Excel's Vietnamese cp1258; any delimiter), finds
the header row below any title lines, maps the headers to fields and returns the rows. It refuses
files that are too large, zip bombs, old .xls files and more rows than allowed, with a message
for the user.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from config import i18n
from config.i18n import gettext as _
from matchmaking.errors import ValidationFailed
from matchmaking.places import fold

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_SCANNED_ROWS = 3 * MAX_ROWS  # rows, title lines and blank rows between them
MAX_COLUMNS = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: refuse bombs before openpyxl opens it
ROW = "_row"  # the key for the row number the user sees in the spreadsheet
HEADER_SEARCH_ROWS = 10  # title lines a spreadsheet may have above its header row


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be imported (type, size, layout); `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": message})
        self.message = message


@dataclass(frozen=True)
class Columns:
    """What a kind of spreadsheet holds: each field's header in the template, the fields a file
    must have, how a header the user wrote is recognised, and the two messages that name its rows
    (more than `max_rows` of them; none below the header)."""

    headers: Mapping[str, str]
    required: tuple[str, ...]
    field_of: Callable[[str], str | None]
    too_many: Callable[[int], str]
    no_rows: Callable[[], str]
    max_rows: int = MAX_ROWS


@dataclass(frozen=True)
class Sheet:
    """A file's rows keyed by field, with the header each field had in the file."""

    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str]


def name_key(text: str) -> str:
    """Case, diacritics, spaces and punctuation do not matter: 'Giá (VND)' -> 'gia vnd'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def name_index(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """{name_key(name): code} for each code, its names and their Vietnamese translations."""
    vietnamese = i18n.translations("vi")
    index: dict[str, str] = {}
    for code, aliases in names.items():
        for name in (code, *aliases, *(vietnamese.gettext(alias) for alias in aliases)):
            index.setdefault(name_key(name), str(code))
    return index


def cell_text(value: object) -> str:
    """A cell as the text a user typed: dates as dd/mm/yyyy, whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        # A spreadsheet number is exact: written with a point and never three decimals, so the
        # parser cannot take 1.125 for the Vietnamese "1.125" (eleven hundred and twenty-five).
        text = repr(value)
        return text + "0" if len(text.partition(".")[2]) == 3 else text
    return unicodedata.normalize("NFC", str(value)).strip()


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "cp1258"):  # cp1258: Excel's "CSV" on Vietnamese Windows
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    lines = _decode(content).splitlines(keepends=True)
    first = next((line for line in lines if line.strip()), "")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first)
    if hint:  # Excel's "sep=;" line names the delimiter and is not a row
        delimiter = hint.group(1)
        lines.remove(first)
    else:  # the first line with any candidate is the header (title lines above it have none)
        header = next((line for line in lines if any(d in line for d in ",;\t")), "")
        counts = {d: header.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        raise ImportFileError(
            _("Row %(row)d of the CSV file cannot be read (%(error)s).") % {"row": number + 1, "error": exc}
        ) from None


def _xlsx_records(worksheet: Any) -> Iterator[tuple[int, list[object]]]:
    # openpyxl yields every empty row up to the last used one, and every empty cell up to the
    # last used column: a 1.5 KB file with one far-away cell would keep it busy for seconds.
    reach = _("The sheet reaches too far (row %(rows)s or column %(columns)s at most): delete "
              "what lies beyond the rows to import.") % {
        "rows": i18n.format_number(MAX_SCANNED_ROWS), "columns": MAX_COLUMNS}
    if (worksheet.max_row or 0) > MAX_SCANNED_ROWS or (worksheet.max_column or 0) > MAX_COLUMNS:
        raise ImportFileError(reach)
    columns = min(worksheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    for scanned, cells in enumerate(worksheet.iter_rows(max_col=columns), start=1):
        if scanned > MAX_SCANNED_ROWS:
            raise ImportFileError(reach)
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
        if number is not None:
            yield number, [cell.value for cell in cells]


def _map_header(cells: list[str], columns: Columns) -> tuple[dict[str, int], dict[str, str], list[str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, text in enumerate(cells):
        if not text:
            continue
        name = columns.field_of(text)
        if name is None:
            ignored.append(text)
        elif name in positions:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” hold the same information: keep one.")
                % {"first": headers[name], "second": text}
            )
        else:
            positions[name], headers[name] = position, text
    missing = [columns.headers[name] for name in columns.required if name not in positions]
    if missing:
        raise ImportFileError(
            _("The file has no column for: %(columns)s. Download the template to see the columns.")
            % {"columns": ", ".join(missing)}
        )
    return positions, headers, ignored


def _is_header(cells: list[str], columns: Columns) -> bool:
    return sum(1 for text in cells if text and columns.field_of(text)) >= 2


def _sheet(records: Iterable[tuple[int, list[Any]]], columns: Columns) -> Sheet:
    """The header row (the first that names columns, after any title lines) and the rows below."""
    mapped: tuple[dict[str, int], dict[str, str], list[str]] | None = None
    first_line: list[str] | None = None
    skipped = 0
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in records:
        cells = [cell_text(value) for value in raw]
        if not any(cells):
            continue
        if mapped is None:
            first_line = first_line or cells
            skipped += 1
            if _is_header(cells, columns) or skipped > HEADER_SEARCH_ROWS:
                mapped = _map_header(cells if _is_header(cells, columns) else first_line, columns)
            continue
        if len(rows) == columns.max_rows:
            raise ImportFileError(columns.too_many(columns.max_rows))
        positions = mapped[0]
        rows.append((number, {f: cells[i] if i < len(cells) else "" for f, i in positions.items()}))
    if first_line is None:
        raise ImportFileError(_("The file is empty."))
    if mapped is None:
        mapped = _map_header(first_line, columns)
    if not rows:
        raise ImportFileError(columns.no_rows())
    return Sheet(headers=mapped[1], rows=rows, ignored_columns=mapped[2])


def _read_xlsx(content: bytes, columns: Columns) -> Sheet:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) workbook.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("The workbook is too large once unpacked."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) workbook.")) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        return _sheet(_xlsx_records(workbook.worksheets[0]), columns)
    except ImportFileError:
        raise
    except Exception:  # damaged XML inside the zip shows up only while reading rows
        raise ImportFileError(_("This file is not a valid Excel (.xlsx) workbook.")) from None
    finally:
        workbook.close()


def read_sheet(filename: str, content: bytes, columns: Columns) -> Sheet:
    """The rows of a CSV or XLSX file; ImportFileError for a file of the wrong type, too large,
    empty, without the required columns or with too many rows."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls" or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv and try again.")
        )
    if suffix not in ("csv", "xlsx"):
        raise ImportFileError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB: split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if suffix == "xlsx" or content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, columns)
    return _sheet(_csv_records(content), columns)
