"""Forms of the oversight room (plain django.forms; the services validate again and have the last word)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import PlausibleDateField
from chithi.core.permissions import Action, restrict
from chithi.orgs.forms import DateInput, scoped_org_field
from chithi.orgs.models import Organisation, Person
from chithi.practices.models import Practice

from .models import AwardLevel, CaseKind, Criterion, DisciplineForm, FormKind, Level, Score


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


def people_in(unit: Organisation | None, user: Any) -> QuerySet[Person]:
    qs = restrict(Person.objects.all(), user, Action.VIEW)
    if unit is not None:
        qs = qs.filter(memberships__organisation__path__startswith=unit.path, memberships__until__isnull=True)
    return qs.distinct().order_by("sort_key")


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return PlausibleDateField(label=label, widget=DateInput(), **kwargs)


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ProgrammeEditForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)


class ProgrammeForm(ProgrammeEditForm):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"organisation": scoped_org_field(user, Action.ADD, label=_("Inspecting unit")),
                       **self.fields}


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    content = forms.CharField(label=_("Content"), widget=textarea(3))
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Quý {q}") for q in range(1, 5)])

    def __init__(self, *args: Any, user: Any, unit: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = scoped_org_field(user, Action.VIEW, label=_("Inspected unit"))
        target.queryset = target.queryset.filter(path__startswith=unit.path)  # type: ignore[union-attr]
        self.fields["target_unit"] = target
        self.fields["target_person"] = PersonChoiceField(label=_("Inspected member"), required=False,
                                                         queryset=people_in(unit, user))


class CaseEditForm(forms.Form):
    """The decision and the record of a case under way; the units and the kind stay as opened."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=60,
                                      help_text=_("In the party format, e.g. 12-QĐ/ĐU."))
    decided_on = date_field(_("Decision date"))
    signatory = forms.CharField(label=_("Signed by"), max_length=200)
    subject = forms.CharField(label=_("Content"), max_length=500)
    period_start = date_field(_("Period under review from"))
    period_end = date_field(_("Period under review to"))
    starts_on = date_field(_("Work starts on"))

    def __init__(self, *args: Any, user: Any, inspected: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspected_person"] = PersonChoiceField(label=_("Inspected member"), required=False,
                                                            queryset=people_in(inspected, user))
        self.fields["team"] = PeopleField(label=_("Team members"), queryset=people_in(None, user), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))


class CaseForm(CaseEditForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields = {"kind": self.fields.pop("kind"),
                       "inspecting": scoped_org_field(user, Action.ADD, label=_("Inspecting unit")),
                       "inspected_unit": scoped_org_field(user, Action.VIEW, label=_("Inspected unit")),
                       **self.fields}


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class SelfReportForm(forms.Form):
    text = forms.CharField(label=_("Self-report"), widget=textarea(10), required=False)
    upload = forms.FileField(label=_("Self-report file"), required=False,
                             help_text=_("PDF, Word, Excel, text, or a photo of the signed pages; at most 20 MB."))


class ConcludeForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=textarea(6))
    conclusions = forms.CharField(label=_("Conclusions"), widget=textarea(6))
    concluded_on = date_field(_("Concluded on"), initial=timezone.localdate, past=True)


class RecommendationForm(forms.Form):
    recommendation = forms.CharField(label=_("Recommendation"), widget=textarea(3))
    deadline = date_field(_("Deadline"))

    def __init__(self, *args: Any, user: Any, unit: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_person"] = PersonChoiceField(label=_("Person in charge"), required=False,
                                                        queryset=people_in(unit, user))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("What was done"), widget=textarea(4))


class DisciplineRecordForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of discipline"), choices=DisciplineForm.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = date_field(_("Decision date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, unit: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(label=_("Member"), required=False, queryset=people_in(unit, user))


# --- evaluation ---------------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = date_field(_("Deadline"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"organisation": scoped_org_field(user, Action.ADD, label=_("Opened at")), **self.fields}


class StartEvaluationForm(forms.Form):
    form_kind = forms.ChoiceField(label=_("Form"), choices=FormKind.choices)

    def __init__(self, *args: Any, user: Any, unit: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = scoped_org_field(user, Action.CHANGE, label=_("Party organisation"))
        field.queryset = field.queryset.filter(path__startswith=unit.path)  # type: ignore[union-attr]
        self.fields = {"organisation": field, **self.fields}
        self.fields["person"] = PersonChoiceField(label=_("Member (individual forms)"), required=False,
                                                  queryset=people_in(unit, user))


class ScoresForm(forms.Form):
    """One points field and one reason field per criterion of the form."""

    def __init__(self, *args: Any, criteria: list[Criterion], scores: dict[int, Score], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            score = scores.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.code}. {criterion.title}", min_value=Decimal(0), required=False,
                decimal_places=2, initial=score.points if score else None,
                help_text=_("0 to %(max)s points") % {"max": f"{criterion.max_points:g}"})
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Reason for a change"), required=False, max_length=2000,
                widget=forms.TextInput(attrs={"placeholder": _("Required when you raise or lower a score")}))

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"points_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.criteria]


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)


class ProposeForm(LevelForm):
    tasks_exceeded = forms.IntegerField(label=_("Tasks exceeding their target"), min_value=0, initial=0,
                                        help_text=_("The product does not hold comparable targets; the "
                                                    "collective declares the count."))


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=textarea(3))


# --- commendations ------------------------------------------------------------------------------------------


class AwardForm(forms.Form):
    form = forms.CharField(label=_("Form of commendation"), max_length=200,
                           help_text=_("For example: Certificate of merit of the Provincial Party Committee."))
    level = forms.ChoiceField(label=_("Level"), choices=AwardLevel.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    awarded_on = date_field(_("Date"), past=True)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"organisation": scoped_org_field(user, Action.ADD, label=_("Unit")), **self.fields}
        self.fields["person"] = PersonChoiceField(label=_("Person (leave empty for the unit)"), required=False,
                                                  queryset=people_in(None, user))
        self.fields["practice"] = forms.ModelChoiceField(
            label=_("Practice"), required=False,
            queryset=restrict(Practice.objects.all(), user, Action.ADD).order_by("name"))
