"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests (GET and
POST), request by id and tokens, in JSON and XML, with errors in the standard's list format.

What is published follows the transparency rule: no reporter name, contact or exact address ever;
the description and the answer only when the reporter agreed to publish, and then redacted; the
location only as the ward and coordinates rounded to about a kilometre. The tracking code is
returned only to the client that POSTed (as `token`), because it lets its holder reopen and rate.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from chithi.core.forms import call_service
from chithi.core.inputs import MAX_YEAR, MIN_YEAR, parse_id
from chithi.core.views import public

from . import selectors, services
from .models import OPEN_STATUSES, Issue, IssueCategory, IssueChannel, IssueStatus
from .public import code_lookups_exceeded, redact

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-24T00:00:00Z"  # when this endpoint's behaviour last changed
MAX_REQUESTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
CONSENT = "CONSENT"
WARD = "WARD"

app_name = "open311"


# --- rendering ----------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, key: str, value: Any) -> None:
    element = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(element, k, v)
    elif isinstance(value, list):
        child = key[:-1] if key.endswith("s") else "item"
        for item in value:
            _xml_value(element, child, item)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def _render(data: Any, fmt: str, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """JSON as is; XML as <root><item>…</item></root> (or a single <root> for an object)."""
    if fmt == "json":
        return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    element = ET.Element(root)
    if isinstance(data, list):
        for row in data:
            node = ET.SubElement(element, item)
            for key, value in row.items():
                _xml_value(node, key, value)
    else:
        for key, value in data.items():
            _xml_value(element, key, value)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _render([{"code": status, "description": description}], fmt, root="errors", item="error",
                   status=status)


def _w3(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _coarse(value: Decimal | None) -> float | None:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) if value is not None else None


# --- resources ------------------------------------------------------------------------------------


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", args=["json"])).rsplit("/", 1)[0] + "/"
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "DIALOGUES_OPEN311_CONTACT", "") or settings.DEFAULT_FROM_EMAIL,
        "key_service": request.build_absolute_uri(reverse("dialogues:api_clients")),
        "endpoints": [{"specification": SPEC_URL, "url": base, "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    }
    if fmt == "xml":
        element = ET.Element("discovery")
        for key in ("changeset", "contact", "key_service"):
            ET.SubElement(element, key).text = str(data[key])
        endpoints = ET.SubElement(element, "endpoints")
        endpoint = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(endpoint, key).text = str(data["endpoints"][0][key])  # type: ignore[index]
        formats = ET.SubElement(endpoint, "formats")
        for value in ("text/xml", "application/json"):
            ET.SubElement(formats, "format").text = value
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return _render(data, fmt, root="discovery")


def _service(category: IssueCategory) -> dict[str, Any]:
    return {"service_code": category.code, "service_name": category.name,
            "description": category.description or None, "metadata": True, "type": "realtime",
            "keywords": category.keywords or None, "group": category.group or None}


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return _render([_service(c) for c in selectors.public_categories()], fmt, root="services", item="service")


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = selectors.public_categories().filter(code=code).first()
    if category is None:
        return _error(fmt, 404, f"service_code {code} not found")
    wards = [{"key": w.pk, "name": selectors.ward_label(w)} for w in selectors.public_wards()]
    attributes = [
        {"variable": True, "code": CONSENT, "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 1,
         "description": "Người phản ánh đồng ý công khai câu trả lời (không kèm tên, liên hệ, địa chỉ)",
         "values": [{"key": "yes", "name": "Đồng ý"}, {"key": "no", "name": "Không đồng ý"}]},
        {"variable": True, "code": WARD, "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 2, "description": "Phường nơi xảy ra sự việc", "values": wards},
    ]
    data = {"service_code": category.code, "attributes": attributes}
    if fmt == "json":
        return _render(data, fmt, root="service_definition")
    element = ET.Element("service_definition")
    ET.SubElement(element, "service_code").text = category.code
    attrs = ET.SubElement(element, "attributes")
    for attribute in attributes:
        node = ET.SubElement(attrs, "attribute")
        for key, value in attribute.items():
            if key == "values":
                values = ET.SubElement(node, "values")
                for entry in value:  # type: ignore[attr-defined]
                    v = ET.SubElement(values, "value")
                    ET.SubElement(v, "key").text = str(entry["key"])
                    ET.SubElement(v, "name").text = str(entry["name"])
            else:
                _xml_value(node, key, value)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _status_notes(issue: Issue) -> str | None:
    if issue.status == IssueStatus.MERGED:
        return "Trùng với một phản ánh khác"  # never the other issue's code
    if issue.status == IssueStatus.REJECTED and issue.consent_to_publish:
        return redact(issue.status_reason, name=issue.reporter_name) or None
    if issue.status in (IssueStatus.ANSWERED, IssueStatus.CLOSED) and issue.consent_to_publish:
        return redact(issue.answer, name=issue.reporter_name) or None
    return None


def _request_row(issue: Issue) -> dict[str, Any]:
    expected = None
    if issue.is_open and issue.due_on:
        expected = _w3(timezone.make_aware(dt.datetime.combine(issue.due_on, dt.time(17, 0))))
    return {
        "service_request_id": issue.pk,
        "status": "open" if issue.status in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(issue),
        "service_name": issue.category.name,
        "service_code": issue.category.code,
        "description": redact(issue.description, name=issue.reporter_name) if issue.consent_to_publish else None,
        "agency_responsible": issue.organisation.name,
        "service_notice": None,
        "requested_datetime": _w3(issue.received_at),
        "updated_datetime": _w3(issue.updated_at),
        "expected_datetime": expected,
        "address": issue.area or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coarse(issue.latitude),
        "long": _coarse(issue.longitude),
        "media_url": None,
    }


def _base_requests() -> QuerySet[Issue]:
    return Issue.objects.filter(category__public=True).select_related("category", "organisation")


def _parse_when(value: str) -> dt.datetime | None:
    """A w3 date-time, or None when it is not one: month 13, or a year whose UTC value leaves the calendar
    (9999-12-31T23:59:59-23:59) answered 500 before (issue 9)."""
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+")) if value else None
        if parsed is not None and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, dt.UTC)
        if parsed is not None:
            parsed = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
    if parsed is not None and not (MIN_YEAR <= parsed.year <= MAX_YEAR):
        return None
    return parsed


def requests_get(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    issues = _base_requests()
    if params.get("service_request_id"):
        parsed = [parse_id(part) for part in params["service_request_id"].split(",") if part.strip()]
        ids = [i for i in parsed if i is not None]
        if len(ids) != len(parsed):
            return _error(fmt, 400, "service_request_id must be a comma-separated list of numbers")
        issues = issues.filter(pk__in=ids[:MAX_REQUESTS])
    else:
        if params.get("service_code"):
            issues = issues.filter(category__code__in=[c.strip() for c in params["service_code"].split(",")])
        start = _parse_when(params.get("start_date", ""))
        end = _parse_when(params.get("end_date", ""))
        if (params.get("start_date") and start is None) or (params.get("end_date") and end is None):
            return _error(fmt, 400, "start_date and end_date must be w3 date-times, e.g. 2020-01-01T00:00:00Z")
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
        if start is not None:
            issues = issues.filter(received_at__gte=start)
        if end is not None:
            issues = issues.filter(received_at__lte=end)
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return _error(fmt, 400, "status must be open, closed or both")
        if statuses == {"open"}:
            issues = issues.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            issues = issues.exclude(status__in=OPEN_STATUSES)
    rows = [_request_row(i) for i in issues.order_by("-received_at", "-id")[:MAX_REQUESTS]]
    return _render(rows, fmt, root="service_requests", item="request")


def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    pk = parse_id(request_id)
    issue = _base_requests().filter(pk=pk).first() if pk is not None else None
    if issue is None:
        return _error(fmt, 404, f"service_request_id {request_id} not found")
    return _render([_request_row(issue)], fmt, root="service_requests", item="request")


def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    if code_lookups_exceeded(request):  # the token is a tracking code: the lookup pages' own limit (issue 9)
        return _error(fmt, 429, "too many look-ups from this address; wait a minute")
    issue = selectors.public_issue(code=token)
    if issue is None or not issue.category.public:
        return _error(fmt, 404, "token not found")
    return _render([{"service_request_id": issue.pk, "token": issue.display_code}], fmt, root="service_requests",
                   item="request")


class RequestForm(forms.Form):
    """POST /requests: the spec's form-encoded fields. Its own checks answer in the spec's English; the
    service's (lengths, coordinates) in the interface's language, on the field they name."""

    service_code = forms.CharField(max_length=40, error_messages={"required": "missing"})
    description = forms.CharField(required=False)
    lat = forms.CharField(required=False)
    long = forms.CharField(required=False)
    address_string = forms.CharField(required=False)
    address_id = forms.CharField(required=False)
    first_name = forms.CharField(required=False)
    last_name = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    email = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[f"attribute[{CONSENT}]"] = forms.CharField(required=False)
        self.fields[f"attribute[{WARD}]"] = forms.CharField(required=False)

    def clean_service_code(self) -> IssueCategory:
        code = self.cleaned_data["service_code"]
        category = selectors.public_categories().filter(code=code).first()
        if category is None:
            raise forms.ValidationError(f"{code} not found")
        return category

    # The same checks as the contact on the citizen's form (services.submit_issue), each on its own field.
    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (problem := services.phone_problem(phone)):
            raise forms.ValidationError(problem)
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and (problem := services.email_problem(email)):
            raise forms.ValidationError(problem)
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("lat") and data.get("long")) and not data.get("address_string") and not data.get("address_id"):
            raise forms.ValidationError("a location is required: lat and long, address_string or address_id")
        ward_id = data.get(f"attribute[{WARD}]")
        ward_pk = parse_id(ward_id)
        ward = selectors.public_wards().filter(pk=ward_pk).first() if ward_pk is not None else None
        if ward_id and ward is None:
            self.add_error(f"attribute[{WARD}]", "not one of the listed values")
        data["ward"] = ward
        return data

    def issue_fields(self) -> dict[str, Any]:
        """submit_issue's keyword arguments: the reporter's name and contact joined, the place by ward."""
        data = self.cleaned_data
        contact = "; ".join(filter(None, [data["phone"].strip(), data["email"].strip()]))
        return {"category": data["service_code"], "description": data["description"], "area_unit": data["ward"],
                "address": data["address_string"] or data["address_id"], "latitude": data["lat"] or None,
                "longitude": data["long"] or None,
                "reporter_name": " ".join(filter(None, [data["first_name"].strip(), data["last_name"].strip()])),
                "reporter_contact": contact[: services.MAX_CONTACT],
                "consent_to_publish": data[f"attribute[{CONSENT}]"].lower() in ("yes", "true", "1")}


def requests_post(request: HttpRequest, fmt: str) -> HttpResponse:
    """Create a request: form-encoded per the spec; api_key required (403 otherwise)."""
    client = services.authenticate_api_key(request.POST.get("api_key"))
    if client is None:
        return _error(fmt, 403, "api_key missing or invalid")
    form = RequestForm(request.POST)
    issue = None
    if form.is_valid():
        issue = call_service(form, services.submit_issue, actor=None, channel=IssueChannel.OPEN311,
                             api_client=client, **form.issue_fields())
    if issue is None:
        errors = []
        for field, messages in form.errors.items():
            text = " ".join(str(message) for message in messages)
            errors.append({"code": 400, "description": text if field == NON_FIELD_ERRORS else f"{field}: {text}"})
        return _render(errors, fmt, root="errors", item="error", status=400)
    type(client).objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    notice = f"Mã theo dõi {issue.display_code}: tra cứu tại {request.build_absolute_uri(issue.get_public_url())}"
    return _render([{"service_request_id": issue.pk, "token": issue.display_code, "service_notice": notice,
                     "account_id": None}], fmt, root="service_requests", item="request", status=201)


@public
@csrf_exempt  # authenticated by api_key, never by a cookie
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return requests_post(request, fmt)
    if request.method in ("GET", "HEAD"):
        return requests_get(request, fmt)
    return _error(fmt, 405, "method not allowed")


def _get_only(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return _error(kwargs.get("fmt", "json"), 405, "method not allowed")
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    wrapped.__name__ = view.__name__
    return public(csrf_exempt(wrapped))


_FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + _FMT, _get_only(discovery), name="discovery"),
    re_path(r"^services" + _FMT, _get_only(services_list), name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + _FMT, _get_only(service_definition), name="service_definition"),
    re_path(r"^requests" + _FMT, requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + _FMT, _get_only(request_detail), name="request_detail"),
    re_path(r"^tokens/(?P<token>[-\w]+)" + _FMT, _get_only(token_detail), name="token_detail"),
]
