"""Spreadsheets offices exchange: read with every bad cell reported by row and column, write lists."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .text import fold

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # a (lazy) translatable label; Vietnamese and English headers are both accepted
    parse: Callable[[Any], Any] = lambda value: value
    required: bool = True


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # e.g. "C (Ngày sinh)"
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedSheet:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, values)
    errors: list[CellError] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # column key -> "C (Header)" for later checks

    def label(self, key: str) -> str:
        return self.labels.get(key, key)


class ImportRejected(Exception):
    """Raised by an import service: nothing was written; `errors` says where and why."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = list(errors)


def _header_names(column: Column) -> set[str]:
    from django.utils import translation

    names = {fold(force_str(column.header)), fold(column.key)}
    for lang in ("vi", "en"):
        with translation.override(lang):
            names.add(fold(force_str(column.header)))
    return names


def read_sheet(source: IO[bytes] | bytes, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> ParsedSheet:
    """Parse the first sheet. Row 1 holds headers (any order); blank rows are skipped."""
    result = ParsedSheet()
    data = source if isinstance(source, bytes) else source.read()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        result.errors.append(CellError(1, "-", _("The file is not an Excel workbook (.xlsx).")))
        return result
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        result.errors.append(CellError(1, "-", _("The sheet is empty.")))
        return result
    positions: dict[str, int] = {}
    folded_header = [fold(force_str(h)) if h is not None else "" for h in header]
    for column in columns:
        names = _header_names(column)
        for index, cell in enumerate(folded_header):
            if cell in names:
                positions[column.key] = index
                break
        else:
            if column.required:
                result.errors.append(CellError(1, force_str(column.header), _("This column is missing.")))
    if result.errors:
        return result
    for key, index in positions.items():
        header_text = next(force_str(c.header) for c in columns if c.key == key)
        result.labels[key] = f"{get_column_letter(index + 1)} ({header_text})"
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(result.rows) >= max_rows:
            result.errors.append(CellError(number, "-", _("Too many rows (at most %(max)d).") % {"max": max_rows}))
            break
        parsed: dict[str, Any] = {}
        for column in columns:
            if column.key not in positions:
                continue
            index = positions[column.key]
            raw = values[index] if index < len(values) else None
            label = result.labels[column.key]
            if isinstance(raw, str):
                raw = raw.strip()
            if raw is None or raw == "":
                if column.required:
                    result.errors.append(CellError(number, label, _("This cell is required.")))
                    continue
                parsed[column.key] = None
                continue
            try:
                parsed[column.key] = column.parse(raw)
            except ValidationError as exc:
                result.errors.append(CellError(number, label, " ".join(exc.messages)))
            except (ValueError, TypeError) as exc:
                result.errors.append(CellError(number, label, str(exc) or _("Invalid value.")))
        result.rows.append((number, parsed))
    workbook.close()
    return result


# --- cell parsers: raise ValueError with a message a user understands ----------------------------


def parse_text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip()
        if len(text) > max_length:
            raise ValueError(_("At most %(n)d characters.") % {"n": max_length})
        return text

    return parse


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Not a date (expected dd/mm/yyyy): %(value)s") % {"value": text})


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Not a whole number: %(value)s") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(_("Not a whole number: %(value)s") % {"value": value}) from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(str(value))
    if folded in {"1", "x", "co", "yes", "true", "dung", "c"}:
        return True
    if folded in {"0", "khong", "no", "false", "k", "sai"}:
        return False
    raise ValueError(_("Expected yes or no (có / không): %(value)s") % {"value": value})


def parse_choice(choices: Iterable[tuple[str, Any]]) -> Callable[[Any], str]:
    """Accept the stored value or its label in either language, with or without diacritics."""
    choice_list = list(choices)

    def parse(value: Any) -> str:
        from django.utils import translation

        wanted = fold(str(value))
        for stored, label in choice_list:
            names = {fold(stored)}
            for lang in ("vi", "en"):
                with translation.override(lang):
                    names.add(fold(force_str(label)))
            if wanted in names:
                return stored
        with translation.override("vi"):
            allowed = ", ".join(force_str(label) for _s, label in choice_list)
        raise ValueError(_("Unknown value %(value)s; allowed: %(allowed)s") % {"value": value, "allowed": allowed})

    return parse


# Text a spreadsheet would read as a formula (OWASP "CSV injection"): a name or a citizen's text starting with one
# of these must stay text in every export (issue 9).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _as_text(cell: Any) -> None:
    """Keep the text exactly as written, stored as a string, and quote-prefixed so the spreadsheet keeps it text
    even when someone edits the cell (openpyxl would otherwise store "=..." as a live formula)."""
    cell.data_type = "s"
    cell.quotePrefix = True


def write_xlsx(*, headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str = "Sheet1") -> bytes:
    """A workbook with a bold header row; dates are written as dates in dd/mm/yyyy."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([force_str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([force_str(v) if hasattr(v, "_proxy____cast") else v for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                _as_text(cell)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(force_str(header)) + 4))
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> Any:
    """An HTTP download of a workbook."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
