"""Every date the API takes is checked as the forms check it (api.fields.PlausibleDate / PlausibleDateTime, the rule
of core.inputs.check_plausible).

The forms refused a meeting on 01/01/3000 and a directive issued in 1800, but the API took both: its serializers
had plain date fields. The walk below fails on any writable date field of any serializer the API exposes that is
not a plausible one, and on one whose `past` differs from the form's field of the same name."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.test import APIClient

from chithi.api.fields import PlausibleDate, PlausibleDateTime
from chithi.api.serializers import ModelSerializer
from chithi.core.inputs import PlausibleDateField, PlausibleDateTimeField, latest_date
from chithi.core.rooms import rooms
from chithi.core.tests.test_plausible_dates import _form_classes

Serializer = type[serializers.BaseSerializer]  # type: ignore[type-arg]


def _api_modules() -> list[Any]:
    """Each room's `api` module, or the modules of its `api` package."""
    found = []
    for room in rooms():
        package = importlib.import_module(room.name)
        names = [m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{room.name}.")
                 if m.name == f"{room.name}.api" or m.name.startswith(f"{room.name}.api.")]
        found += [importlib.import_module(name) for name in names]
    return found


def _routed_serializers() -> set[Serializer]:
    """What the router's viewsets answer with: serializer_class, get_serializer_class() for each of their actions
    and the actions' own serializer_class."""
    from chithi.api.urls import router

    found: set[Serializer] = set()
    for _prefix, viewset, _basename in router.registry:
        extra = {func.__name__: func.kwargs for func in viewset.get_extra_actions()}
        for name in ["list", "retrieve", "create", "update", "partial_update", *extra]:
            view = viewset(action=name, request=None, format_kwarg=None, kwargs={}, **extra.get(name, {}))
            if hasattr(view, "get_serializer_class"):
                found.add(view.get_serializer_class())
    return found


def _serializer_classes() -> set[Serializer]:
    defined = {c for module in _api_modules() for _n, c in inspect.getmembers(module, inspect.isclass)
               if issubclass(c, serializers.BaseSerializer) and c.__module__ == module.__name__}
    found = defined | _routed_serializers()
    # An abstract base (campaigns' FixedOnUpdate) has no Meta: its subclasses are walked instead.
    return {c for c in found if not (issubclass(c, serializers.ModelSerializer) and not hasattr(c, "Meta"))}


def _date_fields(serializer: serializers.BaseSerializer, path: str) -> Iterator[tuple[str, Any]]:  # type: ignore[type-arg]
    """(dotted name, field) of every writable date or date-time field, nested serializers and lists included."""
    for name, field in serializer.fields.items():  # type: ignore[attr-defined]
        if field.read_only:
            continue
        while isinstance(field, serializers.ListSerializer | serializers.ListField):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _date_fields(field, f"{path}.{name}")
        elif isinstance(field, serializers.DateField | serializers.DateTimeField):
            yield f"{path}.{name}", field


def _writable_date_fields() -> list[tuple[str, Any]]:
    return [found for cls in sorted(_serializer_classes(), key=lambda c: f"{c.__module__}.{c.__name__}")
            for found in _date_fields(cls(), f"{cls.__module__}.{cls.__name__}")]


def test_the_walk_finds_the_api_serializers() -> None:
    names = {c.__name__ for c in _serializer_classes()}
    assert len(names) > 60
    assert {"MeetingSerializer", "DirectiveSerializer", "OrganisationSerializer", "FindingsSerializer",
            "RescheduleSerializer", "IssueCreateSerializer", "ItemSerializer"} <= names
    assert len(_writable_date_fields()) > 40


def test_every_model_serializer_of_the_api_maps_model_dates_to_plausible_ones() -> None:
    plain = sorted(f"{c.__module__}.{c.__name__}" for c in _serializer_classes()
                   if issubclass(c, serializers.ModelSerializer) and not issubclass(c, ModelSerializer))
    assert not plain, "ModelSerializers not derived from chithi.api.serializers.ModelSerializer: " + ", ".join(plain)


def test_every_writable_date_field_of_the_api_is_plausible() -> None:
    plain = [name for name, field in _writable_date_fields()
             if not isinstance(field, PlausibleDate | PlausibleDateTime)]
    assert not plain, "API date fields that take any year: " + ", ".join(plain)


def test_what_has_happened_is_past_in_the_api_as_on_the_forms() -> None:
    """A field named as a form's `past=True` field (issued_on, established_on, birth_date…) stops at today in the
    API too, and no other field does."""
    past, not_past = set(), set()
    for form in _form_classes():
        for name, field in form.base_fields.items():
            if isinstance(field, PlausibleDateField | PlausibleDateTimeField):
                (past if field.past else not_past).add(name)
    assert {"issued_on", "established_on", "birth_date", "concluded_on", "awarded_on"} <= past
    ambiguous = past & not_past  # the same name past on one form and not on another: the forms must agree first
    assert not ambiguous, ambiguous
    wrong = [f"{name} (past={field.past})" for name, field in _writable_date_fields()
             if field.past != (name.rsplit(".", 1)[-1] in past)]
    assert not wrong, "API date fields whose `past` differs from the form's: " + ", ".join(wrong)


# --- the rule itself ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "past", "ok"), [
    ("1800-01-01", False, False), ("3000-01-01", False, False), ("1930-02-03", False, True),
    ("1925-01-01", True, True), (None, True, False),  # None: tomorrow
])
def test_the_api_field_refuses_what_the_form_refuses_with_the_same_message(data: str | None, past: bool,
                                                                           ok: bool) -> None:
    typed = data or (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    with translation.override("vi"):
        checked = type("S", (serializers.Serializer,), {"day": PlausibleDate(label="Ngày họp", past=past)})(
            data={"day": typed})
        form = type("F", (forms.Form,), {"day": PlausibleDateField(label="Ngày họp", past=past)})(
            {"day": dt.date.fromisoformat(typed).strftime("%d/%m/%Y")})
        assert checked.is_valid() is ok is form.is_valid()
        if not ok:
            assert [str(e) for e in checked.errors["day"]] == form.errors["day"]
            assert checked.errors["day"][0].code == "implausible"
            assert checked.errors["day"][0].startswith("Ngày họp không hợp lý")


def test_a_day_and_time_is_judged_by_its_day_here() -> None:
    """23:30 on the last allowed day in UTC−10 is the next day here (Asia/Ho_Chi_Minh): refused."""
    last = latest_date()
    field = PlausibleDateTime()
    field.bind("starts_at", serializers.Serializer())
    assert field.to_internal_value(f"{last.isoformat()}T10:00:00+07:00").date() == last
    with pytest.raises(serializers.ValidationError):
        field.to_internal_value(f"{last.isoformat()}T23:30:00-10:00")


# --- through the real API -----------------------------------------------------------------------------------


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _refused(response: Any, field: str) -> str:
    assert response.status_code == 400, response.content
    message = str(response.json()[field][0])
    assert "không hợp lý" in message and "01/01/1900" in message, message
    return message


def test_a_meeting_on_01_01_3000_is_refused_and_nothing_is_saved(world: Any) -> None:
    from chithi.grassroots.models import Meeting
    from chithi.grassroots.tests.factories import aware, next_month

    client = _api(world.user("cell_secretary"))
    before = Meeting.objects.count()
    message = _refused(client.post("/api/meetings/", {"organisation": world.cell_a1.pk,
                                                       "starts_at": "3000-01-01T19:30:00+07:00"}, format="json"),
                       "starts_at")
    assert message.startswith("Bắt đầu lúc")  # the field's Vietnamese name
    assert Meeting.objects.count() == before
    created = client.post("/api/meetings/", {"organisation": world.cell_a1.pk,
                                             "starts_at": aware(next_month()).isoformat()}, format="json")
    assert created.status_code == 201, created.content
    moved = client.patch(f"/api/meetings/{created.json()['id']}/", {"starts_at": "3000-01-01T19:30:00+07:00"},
                         format="json")
    _refused(moved, "starts_at")
    assert Meeting.objects.get(pk=created.json()["id"]).starts_at.year < 3000


def test_a_directive_issued_in_1800_or_tomorrow_is_refused_and_nothing_is_saved(world: Any) -> None:
    from chithi.campaigns.models import Directive
    from chithi.campaigns.tests.factories import DirectiveFactory

    client = _api(world.user("secretary"))
    body = {"organisation": world.ward_a.pk, "kind": "directive", "number": "07-CT/ĐU", "issuer": "Đảng ủy phường",
            "title": "Về tăng cường công tác dân vận"}
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for issued_on in ("1800-01-01", tomorrow):
        message = _refused(client.post("/api/directives/", {**body, "issued_on": issued_on}, format="json"),
                           "issued_on")
        assert message.startswith("Ngày ban hành")
    assert not Directive.objects.filter(number="07-CT/ĐU").exists()
    directive = DirectiveFactory(organisation=world.ward_a)
    _refused(client.patch(f"/api/directives/{directive.pk}/", {"issued_on": "1800-01-01"}, format="json"),
             "issued_on")
    directive.refresh_from_db()
    assert directive.issued_on == dt.date(2016, 5, 15)


def test_a_unit_established_tomorrow_is_refused_and_nothing_is_saved(world: Any) -> None:
    from chithi.orgs.models import Organisation

    client = _api(world.user("secretary"))
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    message = _refused(client.post("/api/orgs/", {"name": "Chi bộ Khu phố 9", "kind": "party_cell",
                                                  "parent": world.ward_a.pk, "established_on": tomorrow},
                                   format="json"), "established_on")
    assert message.startswith("Ngày thành lập") and today.strftime("%d/%m/%Y") in message  # past: up to today
    assert not Organisation.objects.filter(name="Chi bộ Khu phố 9").exists()
    _refused(client.patch(f"/api/orgs/{world.cell_a1.pk}/", {"established_on": tomorrow}, format="json"),
             "established_on")
    world.cell_a1.refresh_from_db()
    assert world.cell_a1.established_on is None or world.cell_a1.established_on <= today


def test_a_case_concluded_tomorrow_is_refused_and_the_case_stays_open(world: Any) -> None:
    """A declared field (not a model's): FindingsSerializer.concluded_on, past as on the form."""
    from chithi.oversight.tests import factories

    case = factories.case(world)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = _api(world.user("secretary")).post(
        f"/api/oversight-cases/{case.pk}/findings/",
        {"findings": "Có hạn chế", "conclusions": "Cần khắc phục", "concluded_on": tomorrow}, format="json")
    assert _refused(response, "concluded_on").startswith("Ngày kết luận")
    case.refresh_from_db()
    assert case.concluded_on is None and not case.findings
