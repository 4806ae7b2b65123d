"""The English interface reads Vietnamese data: the same day-first dates (see ../vi/formats.py)."""

from chithi.formats.vi.formats import (  # noqa: F401 - re-exported for Django's format lookup
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)
