"""Files attached to a report: checked on upload, refused with a clear message, frozen with an accepted report,
served only through the report's scoped view."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .. import services
from ..models import ReportAttachment
from .factories import open_ward_round, sections

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _cell(world: Any) -> Client:
    client = Client()
    client.force_login(world.user("cell_secretary"))
    return client


def test_a_cell_attaches_a_checked_file_and_its_parent_downloads_it(world: Any) -> None:
    s = open_ward_round(world)
    client = _cell(world)
    url = reverse("reports:report_attach", args=[s.a1.pk])
    done = client.post(url, {"file": SimpleUploadedFile("bang-so-lieu.pdf", PDF, "application/pdf")})
    assert done.status_code == 302
    stored = ReportAttachment.objects.get()
    assert stored.report == s.a1 and stored.content_type == "application/pdf"
    assert "bang-so-lieu.pdf" in client.get(s.a1.get_absolute_url()).content.decode()
    file_url = reverse("reports:attachment_file", args=[s.a1.pk, stored.pk])
    parent = Client()
    parent.force_login(world.user("secretary"))
    got = parent.get(file_url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "attachment" in got["Content-Disposition"]
    # Out of scope, or through another report's URL: it does not exist.
    other = Client()
    other.force_login(world.user("other_secretary"))
    assert other.get(file_url).status_code == 404
    assert client.get(reverse("reports:attachment_file", args=[s.a2.pk, stored.pk])).status_code == 404


def test_a_refused_type_or_size_says_why_in_vietnamese_and_stores_nothing(world: Any) -> None:
    s = open_ward_round(world)
    client = _cell(world)
    url = reverse("reports:report_attach", args=[s.a1.pk])
    page = client.post(url, {"file": SimpleUploadedFile("chay.exe", b"MZ\x90\x00", "application/pdf")})
    assert page.status_code == 200 and "Không chấp nhận loại tệp .exe" in page.content.decode()
    fake = client.post(url, {"file": SimpleUploadedFile("gia.pdf", b"<html>", "application/pdf")})
    assert "không phải là tệp .pdf hợp lệ" in fake.content.decode()
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (21 * 1024 * 1024), "application/pdf")
    assert "vượt quá 20 MB" in client.post(url, {"file": big}).content.decode()
    assert not ReportAttachment.objects.exists()


def test_an_accepted_report_takes_no_new_file(world: Any) -> None:
    s = open_ward_round(world)
    cell = world.user("cell_secretary")
    services.update_report(actor=cell, report=s.a1, sections=sections())
    services.submit_report(actor=cell, report=s.a1)
    services.accept_report(actor=world.user("secretary"), report=s.a1)
    client = _cell(world)
    refused = client.post(reverse("reports:report_attach", args=[s.a1.pk]),
                          {"file": SimpleUploadedFile("muon.pdf", PDF, "application/pdf")})
    assert refused.status_code == 302  # back to the report with the reason, no form offered
    assert "Báo cáo đã được tiếp nhận thì không sửa được" in client.get(refused["Location"]).content.decode()
    with pytest.raises(ValidationError, match="tiếp nhận thì không sửa được"):
        services.attach_file(actor=cell, report=s.a1, upload=SimpleUploadedFile("muon.pdf", PDF, "application/pdf"))
    assert not ReportAttachment.objects.exists()
