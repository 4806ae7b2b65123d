"""Every date a form takes is checked against the years a record can have (core.inputs.PlausibleDateField).

Testers saved a meeting on 01/01/3000, a directive issued in 1800 and a report round from 1800 to 3000; each
form had its own date field and none asked whether the date could be true."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import translation

from chithi.core.inputs import PlausibleDateField, PlausibleDateTimeField, latest_date
from chithi.core.rooms import rooms


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for room in rooms():
        package = importlib.import_module(room.name)
        names = [f"{room.name}.{m.name}" for m in pkgutil.walk_packages(package.__path__)
                 if m.name.split(".")[-1] in ("forms", "filters") or m.name.startswith("forms.")]
        for name in names:
            module = importlib.import_module(name)
            found += [c for _n, c in inspect.getmembers(module, inspect.isclass)
                      if issubclass(c, forms.BaseForm) and c.__module__ == module.__name__]
    return found


def test_every_date_field_of_every_form_is_plausible() -> None:
    plain = [f"{form.__module__}.{form.__name__}.{name}" for form in _form_classes()
             for name, field in form.base_fields.items()
             if isinstance(field, forms.DateField | forms.DateTimeField)
             and not isinstance(field, PlausibleDateField | PlausibleDateTimeField)]
    assert len(_form_classes()) > 40  # the walk finds the rooms' forms
    assert not plain, "date fields that take any year: " + ", ".join(plain)


@pytest.mark.parametrize(("typed", "past", "ok"), [
    ("01/01/1800", False, False), ("01/01/3000", False, False), ("03/02/1930", False, True),
    ("01/01/1925", True, True),  # an old member's birth date
])
def test_a_date_outside_the_plausible_years_is_refused_in_vietnamese(typed: str, past: bool, ok: bool) -> None:
    with translation.override("vi"):
        form = type("F", (forms.Form,), {"day": PlausibleDateField(past=past)})({"day": typed})
        assert form.is_valid() is ok
        if not ok:
            assert "không hợp lý" in form.errors["day"][0]


def test_past_dates_stop_today_and_others_ten_years_ahead() -> None:
    today = dt.date.today()
    assert latest_date(past=True) <= today + dt.timedelta(days=1)
    assert latest_date().year == latest_date(past=True).year + 10
    tomorrow = (today + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    form = type("F", (forms.Form,), {"day": PlausibleDateField(past=True)})({"day": tomorrow})
    assert not form.is_valid()
