"""The browsable API's HTML and Swagger UI come from DRF and drf-spectacular: their templates and scripts set style
attributes, which the site's CSP (style-src 'self' + nonce) blocked, logging console errors on /api/ and
/api/docs/ (issue 10). Their inline <style> elements carry the CSP nonce (api/templates/api/), and on those pages
only, style *attributes* are allowed (style-src-attr); scripts and style elements keep the site's policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.csp import CSP  # type: ignore[attr-defined]
from rest_framework.renderers import BrowsableAPIRenderer


def api_page_csp() -> dict[str, Any]:
    return {**settings.SECURE_CSP, "style-src-attr": [CSP.UNSAFE_INLINE]}


class ChithiBrowsableAPIRenderer(BrowsableAPIRenderer):
    template = "api/browsable.html"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Mapping[str, Any] | None = None) -> Any:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_config = api_page_csp()
        return super().render(data, accepted_media_type, renderer_context)
