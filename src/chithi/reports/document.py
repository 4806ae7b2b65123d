"""The report as a party document (DOCX, python-docx) in the format of Hướng dẫn 36-HD/VPTW (2018), and as PDF
through LibreOffice headless. What was applied and why: docs/decisions.md, "reports".

Layout (HD 36): A4 portrait; header block in a borderless two-column table: left the superior party body (upper
case 14, upright), the issuing body (upper case 14, bold), "*", the number "Số 12-BC/ĐU" (14); right
"ĐẢNG CỘNG SẢN VIỆT NAM" (upper case 15, bold, a rule under it) and the place and date (14, italic); the type
"BÁO CÁO" (upper case 16, bold, centred), the summary (14, bold), body Times New Roman 14, justified, first-line
indent 1 cm; recipients ("Nơi nhận:") and signature ("T/M BAN THƯỜNG VỤ" / "T/M CHI ỦY"); page numbers from
page 2, centred at the top. Margins come from settings.REPORTS_MARGINS_MM (top, bottom, left, right).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from chithi.orgs.models import Organisation, OrgKind

from . import figures as fig
from .models import SECTIONS, Report

FONT = "Times New Roman"
DEFAULT_MARGINS_MM = (20, 20, 30, 15)  # top, bottom, left, right: the lower bounds of HD 36's ranges


def margins_mm() -> tuple[int, int, int, int]:
    value = getattr(settings, "REPORTS_MARGINS_MM", DEFAULT_MARGINS_MM)
    top, bottom, left, right = (int(v) for v in value)
    return top, bottom, left, right


def body_name(unit: Organisation) -> str:
    """"Tỉnh ủy Quảng Trị" → "ĐẢNG BỘ TỈNH QUẢNG TRỊ": the superior line names the party organisation."""
    name = unit.name
    for prefix, replacement in (("Tỉnh ủy ", "Đảng bộ tỉnh "), ("Thành ủy ", "Đảng bộ thành phố "),
                                ("Đảng ủy ", "Đảng bộ ")):
        if name.startswith(prefix):
            name = replacement + name[len(prefix):]
            break
    return name.upper()


def representative(unit: Organisation) -> str:
    return "T/M CHI ỦY" if unit.kind == OrgKind.PARTY_CELL else "T/M BAN THƯỜNG VỤ"


def _run(paragraph: Any, text: str, *, size: float = 14, bold: bool = False, italic: bool = False,
         underline: bool = False) -> Any:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    return run


def _para(container: Any, text: str = "", *, align: Any = WD_ALIGN_PARAGRAPH.CENTER, size: float = 14,
          bold: bool = False, italic: bool = False, underline: bool = False, indent: bool = False,
          after: float = 0) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _rule_under(paragraph: Any) -> None:
    """A short rule under the national party line: a bottom border on the paragraph (HD 36: a line under)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _page_number(paragraph: Any) -> None:
    run = _run(paragraph, "", size=14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _date_line(report: Report) -> str:
    day = (report.submitted_at.date() if report.submitted_at else report.round.deadline)
    place = report.place or "Đông Hà"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def build_docx(report: Report) -> bytes:
    """The report as DOCX bytes (in Vietnamese, whatever the request's language)."""
    with translation.override("vi"):
        return _build(report)


def _build(report: Report) -> bytes:
    from .services import number_text

    unit = report.organisation
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = margins_mm()
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(10)
    # Page numbers from page 2: the first page has its own, empty, header.
    section.different_first_page_header_footer = True
    header_par = section.header.paragraphs[0]
    header_par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(header_par)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    head.autofit = False
    _no_borders(head)
    width = Mm(210 - left - right)
    left_w = int(width * 0.45)
    head.columns[0].width = left_w
    head.columns[1].width = width - left_w
    left_cell, right_cell = head.rows[0].cells
    left_cell.width, right_cell.width = left_w, width - left_w
    left_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    parent = unit.parent
    if parent is not None:
        _run(left_cell.paragraphs[0], body_name(parent), size=14)
        _para(left_cell, unit.name.upper(), bold=True)
    else:
        _run(left_cell.paragraphs[0], unit.name.upper(), size=14, bold=True)
    _para(left_cell, "*")
    number = getattr(report, "document_number", None)
    text = number_text(number, unit) if number else f"...-BC/{number_text_suffix(unit)}"
    _para(left_cell, f"Số {text}")
    title = right_cell.paragraphs[0]
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True)
    # The rule is as long as the title (HD 11/HD 36): indent the paragraph to the title's width (~84 mm at 15 pt bold).
    inset = max(0, int((width - left_w - Mm(86)) / 2))
    title.paragraph_format.left_indent = title.paragraph_format.right_indent = inset
    _rule_under(title)
    _para(right_cell, "")
    _para(right_cell, _date_line(report), italic=True)

    _para(doc, "", after=6)
    _para(doc, "BÁO CÁO", size=16, bold=True)
    _para(doc, report.summary or report.round.title, bold=True)
    _para(doc, "-----", after=12)

    for key, label in SECTIONS:
        _para(doc, f"{key}. {str(label).upper()}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=True, indent=True,
              after=6)
        text = str(report.sections.get(key, "") or "")
        for chunk in [c.strip() for c in text.split("\n") if c.strip()]:
            _para(doc, chunk, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
        if key == "II":
            _figures_table(doc, report)

    _para(doc, "", after=6)
    foot = doc.add_table(rows=1, cols=2)
    foot.autofit = False
    _no_borders(foot)
    recipients_cell, sign_cell = foot.rows[0].cells
    recipients_cell.width, sign_cell.width = left_w, width - left_w
    label = recipients_cell.paragraphs[0]
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(label, "Nơi nhận:", size=14, underline=True)
    for line in (report.recipients or default_recipients(report)).splitlines():
        if line.strip():
            _para(recipients_cell, f"- {line.strip().lstrip('- ')}", align=WD_ALIGN_PARAGRAPH.LEFT, size=12)
    sign_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(sign_cell.paragraphs[0], representative(unit), size=14, bold=True)
    _para(sign_cell, (report.signer_title or "BÍ THƯ").upper(), bold=True)
    for _i in range(4):
        _para(sign_cell, "")
    _para(sign_cell, report.signer_name, bold=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def number_text_suffix(unit: Organisation) -> str:
    from .services import ABBREVIATIONS

    return ABBREVIATIONS.get(unit.kind, "ĐU")  # type: ignore[call-overload,no-any-return]


def default_recipients(report: Report) -> str:
    lines = []
    if report.round.organisation_id != report.organisation_id:
        lines.append(report.round.organisation.name)
    lines += ["Các đồng chí cấp ủy viên", "Lưu Văn phòng"]
    return "\n".join(lines)


def _figures_table(doc: Any, report: Report) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cells = table.rows[0].cells
    _run(cells[0].paragraphs[0], _("Figure"), size=13, bold=True)
    _run(cells[1].paragraphs[0], _("Value"), size=13, bold=True)
    for f in fig.FIGURES:
        row = table.add_row().cells
        _run(row[0].paragraphs[0], str(f.label), size=13)
        row[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(row[1].paragraphs[0], _fmt(report.value(f.key)), size=13)
    # LibreOffice lays a table out from its grid columns, Word from the cells: set both.
    table.columns[0].width, table.columns[1].width = Mm(125), Mm(35)
    for row_cells in table.rows:
        row_cells.cells[0].width, row_cells.cells[1].width = Mm(125), Mm(35)
    _para(doc, "", after=6)


class ConversionError(RuntimeError):
    pass


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """DOCX → PDF with LibreOffice headless (Debian's libreoffice-writer), in a private profile and folder."""
    binary = soffice()
    if binary is None:
        raise ConversionError(_("LibreOffice is not installed on the server (apt-get install libreoffice-writer)."))
    with tempfile.TemporaryDirectory(prefix="chithi-pdf-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        profile = Path(folder) / "profile"
        command = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)  # noqa: S603 (fixed argv)
        except (subprocess.SubprocessError, OSError) as exc:
            raise ConversionError(_("The PDF could not be made from the document.")) from exc
        target = Path(folder) / "report.pdf"
        if not target.exists():
            raise ConversionError(_("The PDF could not be made from the document."))
        return target.read_bytes()
