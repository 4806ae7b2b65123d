"""Issue 9: a dialogue's attachment is stored and served with the type its checked content has, never the type
the client declared."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chithi.dialogues.models import Dialogue, DialogueAttachment

pytestmark = pytest.mark.django_db


def test_declared_html_is_stored_and_served_as_pdf(world: Any) -> None:
    client = Client()
    client.force_login(world.user("secretary"))
    response = client.post("/doi-thoai/them/", {
        "organisation": world.ward_a.pk, "title": "Đối thoại về trật tự đô thị", "held_on": "2020-06-20",
        "participants_count": "10", "minutes": "Biên bản.",
        "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 <script>alert(1)</script>", content_type="text/html")})
    assert response.status_code == 302
    attachment = Dialogue.objects.get().attachments.get()
    assert attachment.content_type == "application/pdf"
    served = client.get(f"/doi-thoai/tep/{attachment.pk}/")
    assert served["Content-Type"] == "application/pdf" and "attachment" in served["Content-Disposition"]


def test_a_row_stored_with_a_claimed_type_is_served_safely(world: Any) -> None:
    client = Client()
    client.force_login(world.user("secretary"))
    client.post("/doi-thoai/them/", {
        "organisation": world.ward_a.pk, "title": "Đối thoại", "held_on": "2020-06-20", "participants_count": "1",
        "minutes": "x", "file": SimpleUploadedFile("ghi-chu.txt", b"<html>hi</html>", content_type="text/plain")})
    attachment = Dialogue.objects.get().attachments.get()
    DialogueAttachment.objects.filter(pk=attachment.pk).update(content_type="text/html")  # an old row
    served = client.get(f"/doi-thoai/tep/{attachment.pk}/")
    assert served["Content-Type"].startswith("text/plain")
