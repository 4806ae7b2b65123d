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


@register.filter
def filter_fields(form: forms.Form) -> dict[str, Any]:
    """A list's filter inputs, each with whether a phone folds it away: the first one (the search box where there
    is one) and every input that holds a value or an error stay in sight, so what is in force is always shown; the
    empty rest fold behind one button (core/_filters.html), so a phone shows the list's first rows, not a form."""
    fields = [(field, index > 0 and not field.errors and field.value() in (None, "", [], False))
              for index, field in enumerate(form.visible_fields())]
    return {"fields": fields, "folded": sum(folds for _field, folds in fields)}
