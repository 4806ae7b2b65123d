"""The report as a party document: the DOCX carries HD 36's settings, and LibreOffice renders it to a PDF whose
pages show the landmarks (checked as text with pdftotext, the page rendered as PNG with pdftoppm)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm, Pt

from chithi.conftest import artifact_path

from .. import services
from ..document import build_docx, soffice, to_pdf
from .factories import open_ward_round, sections

pytestmark = pytest.mark.django_db

LONG = " ".join(["Cấp ủy đã lãnh đạo, chỉ đạo triển khai đồng bộ các nhiệm vụ của kế hoạch năm."] * 40)


def _report(world: Any) -> Any:
    s = open_ward_round(world)
    ward = world.user("secretary")
    own = services.update_report(actor=ward, report=s.own, sections={**sections(), "II": LONG},
                                 summary="Sơ kết 6 tháng đầu năm 2026 thực hiện Chỉ thị 05-CT/TW",
                                 signer_name="Nguyễn Văn An", place="Đông Hà")
    services.register_number(actor=ward, report=own)
    own.refresh_from_db()
    return own


def test_the_docx_has_the_format_of_hd36(world: Any, settings: Any) -> None:
    settings.REPORTS_MARGINS_MM = (25, 25, 35, 15)
    doc = Document(io.BytesIO(build_docx(_report(world))))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [25, 25, 35, 15]
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml
    head = doc.tables[0].rows[0].cells
    left = [p.text for p in head[0].paragraphs]
    assert left == ["ĐẢNG BỘ THÀNH ỦY ĐÔNG HÀ", "ĐẢNG ỦY PHƯỜNG ĐÔNG THANH", "*", "Số 1-BC/ĐU"] or \
        left[1:] == ["ĐẢNG ỦY PHƯỜNG ĐÔNG THANH", "*", "Số 1-BC/ĐU"]
    assert head[0].paragraphs[1].runs[0].bold and not head[0].paragraphs[0].runs[0].bold
    national = head[1].paragraphs[0].runs[0]
    assert national.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and national.bold and national.font.size == Pt(15)
    date = head[1].paragraphs[2].runs[0]
    assert date.italic and date.text.startswith("Đông Hà, ngày ")
    texts = [p.text for p in doc.paragraphs]
    title = doc.paragraphs[texts.index("BÁO CÁO")].runs[0]
    assert title.bold and title.font.size == Pt(16)
    body = next(p for p in doc.paragraphs if p.text.startswith("Cấp ủy đã lãnh đạo"))
    assert body.alignment == 3 and abs(body.paragraph_format.first_line_indent - Mm(10)) < Mm(0.1)  # JUSTIFY, 1 cm
    assert body.runs[0].font.name == "Times New Roman" and body.runs[0].font.size == Pt(14)
    foot = doc.tables[-1].rows[0].cells
    assert foot[0].paragraphs[0].text == "Nơi nhận:" and foot[1].paragraphs[0].text == "T/M BAN THƯỜNG VỤ"


def _tools() -> bool:
    return bool(soffice() and shutil.which("pdftotext") and shutil.which("pdftoppm"))


@pytest.mark.skipif(not _tools() and os.environ.get("CI", "").lower() != "true",
                    reason="LibreOffice or poppler-utils not installed (apt-get install libreoffice-writer-nogui "
                           "poppler-utils)")
def test_the_pdf_shows_the_landmarks(world: Any, tmp_path: Path) -> None:
    pdf = to_pdf(build_docx(_report(world)))
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    layout = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                            text=True).stdout
    text = subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True, text=True).stdout
    pages = layout.split("\f")
    first = " ".join(text.split("\f")[0].split())  # reading order, a table cell's lines joined
    for landmark in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY PHƯỜNG ĐÔNG THANH", "Số 1-BC/ĐU", "BÁO CÁO",
                     "Đông Hà, ngày", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"):
        assert landmark in first, landmark
    # Top right and top left share the first line of the page.
    top = next(line for line in pages[0].splitlines() if "ĐẢNG CỘNG SẢN VIỆT NAM" in line)
    assert top.index("ĐẢNG CỘNG SẢN VIỆT NAM") > 30
    assert len([p for p in pages if p.strip()]) >= 2
    assert pages[1].strip().startswith("2")  # the page number, at the top of page 2; none on page 1
    assert not pages[0].strip().startswith("1")
    assert "Nơi nhận:" in text and "T/M BAN THƯỜNG VỤ" in text and "Nguyễn Văn An" in text
    info = subprocess.run(["pdfinfo", str(source)], capture_output=True, text=True).stdout
    if info:
        assert "595.2" in info or "595.28" in info or "A4" in info  # A4 in points
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(source), str(tmp_path / "page")],
                   check=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 2 and all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    for index, png in enumerate(pngs, start=1):
        shutil.copy(png, artifact_path(f"reports-page-{index}.png"))
    shutil.copy(source, artifact_path("reports-sample.pdf"))
