"""The inspected body's self-report as an uploaded file: checked like every upload, served only within the case's
scope, never publicly (issue 12)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from chithi.oversight import services
from chithi.oversight.models import Case, SelfReportFile
from chithi.oversight.tests import factories

pytestmark = pytest.mark.django_db


def _jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_an_uploaded_pdf_is_the_self_report(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = factories.case(world)
    case = services.submit_self_report(actor=world.user("cell_secretary"), case=case,
                                       upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report"))
    attached = SelfReportFile.objects.get(case=case)
    assert attached.content_type == "application/pdf" and case.self_report_on is not None
    assert case.self_report == ""  # written text is optional when the file is there


def test_a_scanned_page_is_re_encoded_without_metadata(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = factories.case(world)
    services.submit_self_report(actor=world.user("cell_secretary"), case=case,
                                upload=SimpleUploadedFile("trang-1.jpg", _jpeg_with_exif(), content_type="image/jpeg"))
    attached = SelfReportFile.objects.get(case=case)
    with attached.file.open("rb") as handle:
        assert not Image.open(handle).getexif()


@pytest.mark.parametrize(("name", "content"), [("bao-cao.pdf", b"MZ not a pdf"), ("bao-cao.exe", b"MZ"),
                                               ("anh.jpg", b"%PDF-1.4 not a picture")])
def test_a_bad_file_writes_nothing_not_even_the_text(world, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    case = factories.case(world)
    with pytest.raises(ValidationError):
        services.submit_self_report(actor=world.user("cell_secretary"), case=case, text="Báo cáo",
                                    upload=SimpleUploadedFile(name, content))
    assert not SelfReportFile.objects.exists()
    assert Case.objects.get(pk=case.pk).self_report == ""


def test_nothing_at_all_is_refused(world):
    with pytest.raises(ValidationError, match="tải tệp"):
        services.submit_self_report(actor=world.user("cell_secretary"), case=factories.case(world), text=" ")


def _upload_on_the_page(client, world, case, content: bytes, text: str = ""):
    """The inspected cell's secretary sends the self-report page with a file named bao-cao.pdf."""
    client.force_login(world.user("cell_secretary"))
    return client.post(reverse("oversight:case_self_report", args=[case.pk]),
                       {"text": text, "upload": SimpleUploadedFile("bao-cao.pdf", content)})


def test_the_file_is_served_only_to_the_two_units_authorised_roles(world, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    case = factories.case(world)
    response = _upload_on_the_page(client, world, case, b"%PDF-1.4 report")
    assert response.status_code == 302
    attached = SelfReportFile.objects.get(case=case)
    url = reverse("oversight:self_report_file", args=[attached.pk])
    assert url in client.get(case.get_absolute_url()).content.decode()
    for name in ("cell_secretary", "secretary", "admin"):
        client.force_login(world.user(name))
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    for name in ("other_secretary", "viewer", "nobody"):
        client.force_login(world.user(name))
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, never the file


def test_a_refused_file_is_shown_on_the_pages_upload_field(world, settings, tmp_path, client):
    """core.uploads names its error `file`; the step names it after its own field, so the page shows the reason
    under the upload box (and the API under `upload`)."""
    settings.MEDIA_ROOT = tmp_path
    response = _upload_on_the_page(client, world, factories.case(world), b"MZ not a pdf", text="Báo cáo")
    assert response.status_code == 200
    assert response.context["form"].errors["upload"]
    assert not SelfReportFile.objects.exists()
