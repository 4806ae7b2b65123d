"""Issue 9: image decompression bombs are refused by their declared size before any pixel is decoded, and a
request body larger than the per-request cap is refused before it is read."""

from __future__ import annotations

import resource
import struct
import sys
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from chithi.core.uploads import clean_image


def png_of(width: int, height: int) -> bytes:
    """An RGB PNG of the given size, built row by row so the test itself never holds the pixels (an 8000×8000
    one compresses to a few hundred kilobytes, as an attacker's would)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (width * 3)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@pytest.mark.parametrize("side", [10_000, 8_000])
def test_image_bombs_are_refused_without_decoding(side):
    raw = png_of(side, side)
    assert len(raw) < 1024 * 1024  # small on the wire
    before = peak_rss_mb()
    with pytest.raises(ValidationError) as refused:
        clean_image(SimpleUploadedFile("bomb.png", raw, content_type="image/png"))
    growth = peak_rss_mb() - before
    assert refused.value.code == "too_many_pixels"
    assert growth < 100, f"the peak memory grew by {growth:.0f} MB"


def test_pixel_limit_is_a_setting(settings):
    settings.CHITHI_MAX_IMAGE_PIXELS = 100 * 100
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("a.png", png_of(101, 100), content_type="image/png"))
    assert clean_image(SimpleUploadedFile("b.png", png_of(100, 100), content_type="image/png"))


def test_a_phone_photo_passes():
    assert clean_image(SimpleUploadedFile("phone.png", png_of(4000, 3000), content_type="image/png"))


@pytest.mark.django_db
def test_request_body_over_the_cap_is_refused_unread(client, settings):
    settings.CHITHI_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.generic("POST", "/gop-y/", b"x" * (2 * 1024 * 1024),
                              content_type="multipart/form-data; boundary=zzz")
    assert response.status_code == 413


@pytest.mark.django_db
def test_request_body_under_the_cap_is_served(client, settings):
    settings.CHITHI_MAX_REQUEST_BYTES = 1024 * 1024
    assert client.get("/gop-y/").status_code == 200

