"""Static files with content hashes in their names, so browsers may keep them for a year (WhiteNoise serves a
hashed name with "max-age=315360000, immutable") and a new release is fetched at once under its new name.

Django's manifest storage refuses to render a page when a file was not collected (tests, a fresh checkout, a
runserver without collectstatic); this one answers the plain name then, which the finders or WhiteNoise serve
with a short cache time.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:  # not collected: the plain name
            return name
