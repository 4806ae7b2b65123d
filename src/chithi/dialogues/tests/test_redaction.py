"""Issue 9: redaction of consenting reporters' text catches the name written without diacritics, the given name
alone, and e-mail addresses written to dodge a filter."""

from __future__ import annotations

import pytest

from chithi.dialogues.public import redact

NAME = "Nguyễn Văn Bình"


@pytest.mark.parametrize("text", [
    "Tôi là Nguyen Van Binh ở tổ 3, đèn hỏng.",
    "Tôi là NGUYỄN VĂN BÌNH, đèn hỏng.",
    "Gọi anh Bình khi sửa xong.",
    "Gọi anh Binh khi sửa xong.",
])
def test_the_reporters_name_goes_in_any_spelling(text):
    cleaned = redact(text, name=NAME)
    assert "Binh" not in cleaned and "Bình" not in cleaned and "BÌNH" not in cleaned, cleaned


def test_common_words_that_share_the_given_name_stay():
    assert redact("Mọi việc bình thường, khu phố hòa bình.", name=NAME) == "Mọi việc bình thường, khu phố hòa bình."


@pytest.mark.parametrize("address", ["binh(at)gmail(dot)com", "binh [at] gmail [dot] com", "binh at gmail dot com",
                                     "binh (a còng) gmail (chấm) com", "binh@gmail . com"])
def test_obfuscated_emails_go(address):
    cleaned = redact(f"Liên hệ {address} nhé", name="")
    assert "gmail" not in cleaned, cleaned
