"""Vietnamese number formats: thousands grouped by dots where a page asks for it (intcomma), never in ids."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import engines
from django.utils import translation


def test_large_counts_are_grouped_in_vietnamese_and_ids_are_not() -> None:
    """Seen on the public search: "Khoảng 700000 kết quả" where a reader expects "700.000"."""
    with translation.override("vi"):
        assert intcomma(700000) == "700.000"
        assert engines["django"].from_string('<option value="{{ pk }}">').render({"pk": 12345}) == \
            '<option value="12345">'
