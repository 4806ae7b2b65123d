"""How the URL walk (core/tests/test_url_walk.py) reaches every page of the reports room."""

from __future__ import annotations

from typing import Any

from chithi.core.testing import Sample

from .. import services
from ..models import Report


def _setup(world: Any) -> Any:
    """One ward round (cached on the world): cell A1's report submitted, the ward's own report rendered."""
    cached = getattr(world, "_reports_setup", None)
    if cached is None:
        from .factories import open_ward_round, sections

        cached = open_ward_round(world)
        cell = world.user("cell_secretary")
        cached.a1 = services.submit_report(actor=cell, report=services.update_report(
            actor=cell, report=cached.a1, sections=sections()))
        ward = world.user("secretary")
        cached.a2 = services.accept_report(actor=ward, report=services.submit_report(
            actor=ward, report=services.update_report(actor=ward, report=cached.a2, sections=sections())))
        cached.own = services.render_document(actor=world.user("secretary"), report=cached.own)
        world._reports_setup = cached
    return cached


def _report(world: Any) -> dict[str, int]:
    return {"pk": _setup(world).a1.pk}


def _own(world: Any) -> dict[str, int]:
    return {"pk": _setup(world).own.pk}


def _round(world: Any) -> dict[str, int]:
    return {"pk": _setup(world).round.pk}


def _accepted(world: Any) -> dict[str, int]:
    return {"pk": Report.objects.get(pk=_setup(world).a2.pk).pk}


def _attachment(world: Any) -> dict[str, int]:
    """A PDF attached to the ward's own draft (once per world)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    own = _setup(world).own
    stored = own.attachments.first() or services.attach_file(
        actor=world.user("secretary"), report=own,
        upload=SimpleUploadedFile("phu-luc.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))
    return {"pk": own.pk, "file_pk": stored.pk}


SAMPLES = {
    "reports:report_attach": Sample(kwargs=_own),
    "reports:attachment_file": Sample(kwargs=_attachment, skip_counts="a file download"),
    "reports:attachment_remove": Sample(kwargs=_attachment, post_only=True),
    "reports:dashboard": Sample(query="period=half&year=2026&part=1"),
    "reports:dashboard_export": Sample(skip_counts="a file download"),
    "reports:round_detail": Sample(kwargs=_round),
    "reports:round_close": Sample(kwargs=_round, post_only=True),
    "reports:round_remind": Sample(kwargs=_round, post_only=True),
    "reports:round_export": Sample(kwargs=_round, skip_counts="a file download"),
    "reports:report_detail": Sample(kwargs=_own),
    "reports:report_edit": Sample(kwargs=_own),
    "reports:report_submit": Sample(kwargs=_report, post_only=True),
    "reports:report_return": Sample(kwargs=_report),
    "reports:report_accept": Sample(kwargs=_report, post_only=True),
    "reports:report_correct": Sample(kwargs=_accepted),
    "reports:report_compile": Sample(kwargs=_own, post_only=True),
    "reports:report_number": Sample(kwargs=_own),
    "reports:report_render": Sample(kwargs=_own, post_only=True),
    "reports:report_docx": Sample(kwargs=_own, skip_counts="a file download"),
    "reports:report_pdf": Sample(kwargs=_own, skip_counts="a file download through LibreOffice"),
    "reports:report_xlsx": Sample(kwargs=_own, skip_counts="a file download"),
    "report-round-detail": Sample(kwargs=_round),
    "report-round-close": Sample(kwargs=_round, post_only=True),
    "report-round-board": Sample(kwargs=_round),
    "report-detail": Sample(kwargs=_report),
    "report-submit": Sample(kwargs=_report, post_only=True),
    "report-return": Sample(kwargs=_report, post_only=True),
    "report-accept": Sample(kwargs=_report, post_only=True),
    "report-correct": Sample(kwargs=_report, post_only=True),
    "report-compile": Sample(kwargs=_own, post_only=True),
}
