"""Template helpers shared by every room."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from chithi.core.permissions import can_read

register = template.Library()


@register.filter
def readable_by(obj: Any, user: Any) -> bool:
    """`{% if unit|readable_by:request.user %}<a href=…>{% endif %}`: link a record only where its page opens."""
    return obj is not None and can_read(user, obj)


@register.filter
def bootstrap(field: BoundField) -> SafeString:
    """Render a form field with Bootstrap's class for its widget (and is-invalid when it has errors)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    classes = " ".join(c for c in [existing, css if css not in existing else "", "is-invalid" if field.errors else ""]
                       if c)
    return field.as_widget(attrs={"class": classes} if classes else None)
