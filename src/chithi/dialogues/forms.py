"""Forms for the public intake, the tracking page, staff workflow and dialogues; choices are scoped."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import PlausibleDateField
from chithi.core.permissions import Action, restrict
from chithi.orgs.forms import DateInput, ScopedOrgChoiceField, scoped_org_field
from chithi.orgs.models import Organisation, Person

from . import codes, selectors, services
from .models import Dialogue, Issue, IssueCategory, IssueChannel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (images re-encoded)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class PublicCategoryField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Validates against the cached public categories instead of querying on every submission."""

    def to_python(self, value: Any) -> IssueCategory | None:
        if value in self.empty_values:
            return None
        try:
            category = selectors.public_category(pk=int(value))
        except (TypeError, ValueError):
            category = None
        if category is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return category


class HoneypotInput(forms.TextInput):
    """A text box that robots fill and people never see: CSS keeps it off screen (dialogues.css), and as a
    "hidden" widget the shared _form.html renders it without a label."""

    is_hidden = True

    def __init__(self) -> None:
        super().__init__(attrs={"class": "hp-field", "autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"})


def new_submission_key() -> str:
    return uuid.uuid4().hex


class HoneypotForm(forms.Form):
    """A form with a honeypot: a filled one is refused."""

    website = forms.CharField(label=_("Leave this empty"), required=False, widget=HoneypotInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise ValidationError(_("This form could not be accepted. Please try again."), code="honeypot")
        return data

    def issue_fields(self) -> dict[str, Any]:
        """What the citizen wrote, as submit_issue's keyword arguments (the honeypot left out)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "website"}


def province_first(form: forms.Form, ward_field: str, *, empty_label: Any) -> None:
    """The public ward picker: every ward in one list, or past the limit (selectors.wards_by_province) a
    province list before it and only the chosen province's wards in it. Without a province the ward list holds
    just the ward already chosen (a form sent back with an error keeps it); chithi.js fills it when the province
    changes (data-wards: the URL that answers its options), and the ward stays optional, so a browser without
    scripts still sends the form."""
    ward = form.fields[ward_field]
    ward.label_from_instance = selectors.ward_label  # type: ignore[attr-defined]
    if not selectors.wards_by_province():
        ward.queryset = selectors.public_wards()  # type: ignore[attr-defined]
        return
    province = forms.ModelChoiceField(
        queryset=selectors.public_provinces(), required=False, label=_("Province or city"),
        empty_label=empty_label, widget=forms.Select(attrs={"data-wards": reverse_lazy("dialogues:public_wards"),
                                                            "data-wards-target": form.add_prefix(ward_field)}))
    province.label_from_instance = selectors.ward_label  # type: ignore[method-assign, assignment]
    order = list(form.fields)
    form.fields["province"] = province
    form.order_fields([*order[:order.index(ward_field)], "province", *order[order.index(ward_field):]])
    ward.queryset = selectors.ward_choices(  # type: ignore[attr-defined]
        province=form.data.get(form.add_prefix("province")), ward=form.data.get(form.add_prefix(ward_field)))


class PublicIssueForm(HoneypotForm):
    """The citizen's form at /gop-y/. Limits match the service's, so errors are the same either way."""

    category = PublicCategoryField(queryset=IssueCategory.objects.none(), label=_("Kind of issue"),
                                   empty_label=_("— choose —"))
    description = forms.CharField(
        label=_("What is the issue?"), max_length=services.MAX_DESCRIPTION, min_length=10,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": services.MAX_DESCRIPTION}))
    area_unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Ward"), required=False,
                                       empty_label=_("— not sure —"))
    address = forms.CharField(label=_("Address or place"), max_length=services.MAX_ADDRESS, required=False,
                              help_text=_("Used only by the officials who handle it; never published."))
    photos = MultipleFileField(label=_("Photos (up to 3, 5 MB each)"),
                               help_text=_("Location and camera data are removed from the photos."))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=services.MAX_NAME, required=False)
    reporter_contact = forms.CharField(label=_("Phone or e-mail (optional)"), max_length=services.MAX_CONTACT,
                                       required=False, help_text=_("Never published."))
    consent_to_publish = forms.BooleanField(
        label=_("I agree that the answer is published (without my name, contact or address)"), required=False)
    # Made when the form is shown and sent back with it: pressing "send" again after an error or a lost answer
    # is the same submission (services.submit_issue), never a second issue.
    submission_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = new_submission_key()
        self.fields["category"].queryset = selectors.public_categories()  # type: ignore[attr-defined]
        province_first(self, "area_unit", empty_label=_("— choose —"))

    def issue_fields(self) -> dict[str, Any]:
        return {name: value for name, value in super().issue_fields().items() if name != "province"}

    def clean_photos(self) -> list[Any]:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > services.MAX_PHOTOS:
            raise ValidationError(_("At most %(n)d photos.") % {"n": services.MAX_PHOTOS})
        return photos


class PublicCategoryCodeField(forms.CharField):
    """A public category by its code (as Open311 names it), or None: the service says the kind is missing."""

    def clean(self, value: Any) -> IssueCategory | None:
        code = super().clean(value)
        return selectors.public_category(code=code[:40]) if code else None


class IntakeApiForm(HoneypotForm):
    """The JSON twin of PublicIssueForm (POST /gop-y/api/): shapes only; the service checks the rest."""

    category = PublicCategoryCodeField(required=False)
    description = forms.CharField(required=False)
    area_unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                       error_messages={"invalid_choice": _("Unknown ward.")})
    address = forms.CharField(required=False)
    reporter_name = forms.CharField(required=False)
    reporter_contact = forms.CharField(required=False)
    submission_key = forms.CharField(required=False)  # or the Idempotency-Key header (dialogues.public)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_unit"].queryset = selectors.public_wards()  # type: ignore[attr-defined]


class StaffIssueForm(forms.Form):
    """An issue entered by staff for a resident: from a dialogue, a household visit, the phone or in person."""

    channel = forms.ChoiceField(label=_("Raised through"), choices=[
        (IssueChannel.STAFF, IssueChannel.STAFF.label), (IssueChannel.VISIT, IssueChannel.VISIT.label),
        (IssueChannel.DIALOGUE, IssueChannel.DIALOGUE.label)])
    category = forms.ModelChoiceField(queryset=IssueCategory.objects.filter(active=True), label=_("Category"))
    description = forms.CharField(label=_("Description"), max_length=services.MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    area = forms.CharField(label=_("Area (public)"), max_length=services.MAX_AREA, required=False,
                           help_text=_("Ward or residential area; no house number."))
    address = forms.CharField(label=_("Exact address (private)"), max_length=services.MAX_ADDRESS, required=False)
    reporter_name = forms.CharField(label=_("Resident's name (private)"), max_length=services.MAX_NAME,
                                    required=False)
    reporter_contact = forms.CharField(label=_("Resident's phone or e-mail (private)"),
                                       max_length=services.MAX_CONTACT, required=False)
    consent_to_publish = forms.BooleanField(label=_("The resident agrees to publish the answer"), required=False)
    photos = MultipleFileField(label=_("Photos (up to 3)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Receiving unit"))
        self.fields["dialogue"] = forms.ModelChoiceField(
            queryset=restrict(Dialogue.objects.all(), user, Action.ADD).order_by("-held_on"), required=False,
            label=_("Dialogue (when raised at one)"))
        self.order_fields(["channel", "dialogue", "organisation", "category", "description"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dialogue") and data.get("channel") != IssueChannel.DIALOGUE:
            data["channel"] = IssueChannel.DIALOGUE
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=services.MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    reason = forms.CharField(label=_("Note (optional)"), max_length=services.MAX_REASON, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


ASSIGN_KIND_LABELS = {services.AssignKind.ASSIGN: _("Assign"),
                      services.AssignKind.REASSIGN: _("Reassign within my units"),
                      services.AssignKind.REFER: _("Refer to another unit")}


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An officer shown with the units where they handle issues ("Nguyễn Văn A — Chi bộ Khu phố 1")."""

    def __init__(self, *args: Any, units: dict[int, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units

    def label_from_instance(self, obj: Any) -> str:
        return " — ".join([str(obj.display_name()), ", ".join(self.units.get(obj.pk, []))])


class AssignForm(forms.Form):
    """Assign, reassign or refer: only the kinds the issue policy allows now are offered. The units are the
    actor's whole sub-tree (cells, agencies) — plus, only when referring is allowed now, the units one may
    refer to — and the officers are those who handle issues in that sub-tree."""

    kind = forms.ChoiceField(label=_("How"))
    reason = forms.CharField(label=_("Reason (required to reassign or refer)"), max_length=services.MAX_REASON,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, kinds: Iterable[str] = tuple(ASSIGN_KIND_LABELS), **kwargs: Any,
                 ) -> None:
        super().__init__(*args, **kwargs)
        kinds = list(kinds)
        self.fields["kind"].choices = [(kind, label) for kind, label in ASSIGN_KIND_LABELS.items()  # type: ignore[attr-defined]
                                       if kind in kinds]
        own = restrict(Organisation.objects.active(), user, Action.CHANGE)
        if services.AssignKind.REFER in kinds:
            # The service decides which units each kind allows; the list offers only what some kind allows.
            own = (own | selectors.referral_targets()).distinct()
        self.fields["unit"] = ScopedOrgChoiceField(queryset=own.order_by("path"), label=_("Unit"), required=False,
                                                   empty_label=_("— the officer's unit —"))
        officers, units = selectors.assignable_officers(user)
        self.fields["assignee"] = OfficerChoiceField(
            queryset=officers, units=units, label=_("Officer (optional)"), required=False,
            empty_label=_("— the unit as a whole —"))
        self.order_fields(["kind", "unit", "assignee", "reason"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and not data.get("assignee") and "unit" not in self.errors:
            self.add_error("unit", _("Choose a unit or an officer."))
        return data


class MergeForm(forms.Form):
    duplicate_of = forms.CharField(label=_("Tracking code of the original issue"), max_length=20)
    reason = forms.CharField(label=_("Note (optional)"), max_length=services.MAX_REASON, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_duplicate_of(self) -> Issue:
        code = codes.normalise(self.cleaned_data["duplicate_of"])
        issue = selectors.visible_issues(self.user).filter(tracking_code=code).first() if code else None
        if issue is None:
            raise ValidationError(_("No issue you can see has this tracking code."))
        return issue


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the citizen"), max_length=services.MAX_ANSWER,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Published on the tracking page, and on the public list if the "
                                         "citizen agreed."))


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "ABCDE-12345",
                                                         "autocapitalize": "characters"}))

    def clean_code(self) -> str:
        code = codes.normalise(self.cleaned_data["code"])
        if not code:
            raise ValidationError(_("A tracking code has 10 letters and digits, e.g. ABCDE-12345."))
        return code


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the answer not enough?"), max_length=services.MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    # Starts empty: a pre-chosen "very satisfied" would be sent by anyone who only wanted to comment.
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, empty_value=None, choices=[
        ("", _("— choose —")), (5, _("5 — very satisfied")), (4, _("4 — satisfied")), (3, _("3 — acceptable")),
        (2, _("2 — not satisfied")), (1, _("1 — not at all satisfied"))])
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


FILE_LABEL = _("File (PDF, Word, Excel, image)")


class DialogueForm(forms.Form):
    """A dialogue; a new one also names its unit and may bring the minutes' file."""

    title = forms.CharField(label=_("Topic"), max_length=255)
    held_on = PlausibleDateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    participants_count = forms.IntegerField(label=_("Participants"), min_value=0, max_value=100_000, initial=0)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, user: Any, new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Organising unit"))
            self.fields["file"] = forms.FileField(label=FILE_LABEL, required=False)
        self.fields["residential_area"] = ScopedOrgChoiceField(
            queryset=restrict(Organisation.objects.active().filter(residential=True), user, Action.VIEW)
            .order_by("path"), label=_("Residential area"), required=False)
        self.fields["leaders"] = forms.ModelMultipleChoiceField(
            queryset=restrict(Person.objects.all(), user, Action.VIEW).order_by("sort_key"), required=False,
            label=_("Leaders present"), widget=forms.SelectMultiple(attrs={"size": 8}))
        order = ["organisation"] if new else []
        self.order_fields([*order, "title", "held_on", "residential_area", "place", "leaders", "participants_count",
                           "minutes"])


class AttachmentForm(forms.Form):
    file = forms.FileField(label=FILE_LABEL)


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Application"), max_length=150)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
