"""Forms for practices; unit choices are always limited to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import PlausibleDateField
from chithi.core.permissions import Action, restrict
from chithi.orgs.forms import DateInput, scoped_org_field
from chithi.orgs.models import Person

from .models import CommendationLevel, Practice, PracticeField, PracticeStatus
from .templatetags.practice_tags import figure


class PracticeForm(forms.Form):
    name = forms.CharField(label=_("Name of the practice"), max_length=255)
    areas = forms.MultipleChoiceField(label=_("Fields"), choices=PracticeField.choices,
                                       widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    started_on = PlausibleDateField(label=_("Start date"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=PracticeStatus.choices, initial=PracticeStatus.RUNNING)
    is_public = forms.BooleanField(label=_("Show on the public showcase"), required=False)
    public_names = forms.CharField(
        label=_("Names published"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line. Only these names of people appear publicly, and only if the practice is public."))

    def __init__(self, *args: Any, user: Any = None, with_unit: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_unit:
            self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Owning unit"))
            self.order_fields(["organisation", "name"])


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit of measure"), max_length=40, required=False,
                           help_text=_("For example: đồng, kg, households, poles."))
    target = forms.DecimalField(label=_("Target per period"), required=False, max_digits=16, decimal_places=2)


class PeriodResultsForm(forms.Form):
    """One period, a figure for each indicator (left empty: not reported this period)."""

    period_start = PlausibleDateField(label=_("Period start"), widget=DateInput())
    period_end = PlausibleDateField(label=_("Period end"), widget=DateInput())
    period_label = forms.CharField(label=_("Period name"), max_length=60, required=False,
                                   help_text=_("For example: first half of 2025. Left empty, the dates are used."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(practice.indicators.order_by("position", "id"))
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            self.fields[f"actual_{indicator.pk}"] = forms.DecimalField(
                label=label, required=False, max_digits=16, decimal_places=2,
                help_text=_("Target per period: %(target)s") % {"target": figure(indicator.target)}
                if indicator.target else "")
        self.order_fields(["period_start", "period_end", "period_label",
                           *[f"actual_{i.pk}" for i in self.indicators], "note"])

    def values(self) -> dict[int, Any]:
        return {i.pk: self.cleaned_data.get(f"actual_{i.pk}") for i in self.indicators}


class ReplicationForm(forms.Form):
    adopted_on = PlausibleDateField(label=_("Adopted on"), widget=DateInput(), initial=dt.date.today)
    name = forms.CharField(label=_("Name in the adopting unit"), max_length=255, required=False,
                           help_text=_("Leave empty to keep the origin's name."))
    adaptation_notes = forms.CharField(label=_("Adaptation notes"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("What the adopting unit changed to fit its place."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Adopting unit"))
        self.order_fields(["organisation"])


class LinkReplicationForm(forms.Form):
    """Record that a practice another unit already registered is a replication of this one."""

    adopted_on = PlausibleDateField(label=_("Adopted on"), widget=DateInput())
    adaptation_notes = forms.CharField(label=_("Adaptation notes"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, origin: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only origins (a practice has one origin) of other units, outside this lineage, that the user may change.
        candidates = (restrict(Practice.objects.select_related("organisation"), user, Action.CHANGE)
                      .filter(lineage_depth=0).exclude(organisation_id=origin.organisation_id)
                      .exclude(lineage_path__startswith=origin.lineage_root_path).order_by("sort_key"))
        self.fields["adopting"] = PracticeChoiceField(queryset=candidates, label=_("Practice of another unit"))
        self.order_fields(["adopting"])


class PracticeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.name} — {obj.organisation.name}"


class CommendationForm(forms.Form):
    title = forms.CharField(label=_("Form of commendation"), max_length=200,
                            help_text=_("For example: Certificate of merit of the City People's Committee."))
    level = forms.ChoiceField(label=_("Level"), choices=CommendationLevel.choices, initial=CommendationLevel.CITY)
    awarded_on = PlausibleDateField(label=_("Date"), widget=DateInput(), past=True)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = restrict(Person.objects.all(), user).filter(
            memberships__organisation__path__startswith=practice.organisation.path,
            memberships__until__isnull=True).distinct().order_by("sort_key")
        self.fields["person"] = forms.ModelChoiceField(
            queryset=people, required=False, label=_("Person commended"),
            empty_label=_("— the practice itself —"))


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo (JPEG, PNG, GIF or WebP, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    is_public = forms.BooleanField(label=_("Show on the showcase"), required=False, initial=True)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, Word, Excel or text)"))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    is_public = forms.BooleanField(label=_("Show on the showcase"), required=False)
