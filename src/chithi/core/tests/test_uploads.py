"""Uploaded images are decoded and re-encoded: EXIF (and GPS) never survive; non-images are refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chithi.core.uploads import clean_document, clean_image


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    gps = {1: "N", 2: (16.0, 49.0, 12.0), 3: "E", 4: (107.0, 5.0, 30.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_gps_are_stripped():
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    cleaned = clean_image(SimpleUploadedFile("photo.jpg", raw, content_type="image/jpeg"))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"CameraMaker" not in cleaned.read()


def test_not_an_image_is_refused():
    with pytest.raises(ValidationError) as info:
        clean_image(SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"))
    assert info.value.code == "not_image"


def test_too_large_image_is_refused():
    with pytest.raises(ValidationError) as info:
        clean_image(SimpleUploadedFile("big.jpg", jpeg_with_gps()), max_bytes=100)
    assert info.value.code == "too_large"


def test_document_must_match_its_extension():
    assert clean_document(SimpleUploadedFile("a.pdf", b"%PDF-1.7 ..."))
    with pytest.raises(ValidationError):
        clean_document(SimpleUploadedFile("a.pdf", b"MZ\x90\x00 executable"))
    with pytest.raises(ValidationError):
        clean_document(SimpleUploadedFile("a.exe", b"MZ"))
