"""What Django's template language does not report itself."""

from __future__ import annotations

from pathlib import Path

import chithi

SOURCE = Path(chithi.__file__).parent


def test_no_comment_runs_over_a_line_break():
    """A {# … #} comment ends at its line: one broken over two lines is printed to the page as text (seen in the
    user menu on a phone). A longer comment is a {% comment %} block."""
    broken = [f"{path.relative_to(SOURCE)}:{number}"
              for path in sorted(SOURCE.glob("*/templates/**/*.html"))
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
              if line.count("{#") > line.count("#}")]
    assert broken == []
