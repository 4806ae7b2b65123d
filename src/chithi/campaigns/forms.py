"""Forms for directives, themes, plans, tasks, progress, evidence and the cascade; choices limited to the scope.

Plain forms: the `bootstrap` template filter styles every widget where `_form.html` renders it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import PlausibleDateField
from chithi.core.permissions import Action, restrict
from chithi.orgs.forms import DateInput, scoped_org_field
from chithi.orgs.models import Membership, Organisation, Person

from . import policy
from .models import Directive, DirectiveKind, EvidenceKind, Plan, PlanTask, TaskStatus, Theme, ThemeKind


class DirectiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DirectiveKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("e.g. 05-CT/TW"))
    issued_on = PlausibleDateField(label=_("Issued on"), widget=DateInput(), past=True)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, help_text=_("e.g. Bộ Chính trị"))
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, with_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_organisation:
            self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Recorded by"))
            self.order_fields(["organisation"])


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, Word, Excel, image)"))


class ThemeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ThemeKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, with_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directive"] = forms.ModelChoiceField(
            label=_("Directive"), queryset=restrict(Directive.objects.all(), user, Action.VIEW))
        if with_organisation:
            self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Unit"))
            self.order_fields(["organisation", "directive"])


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return f"{obj.year} · {obj.organisation.short_name or obj.organisation.name}: {obj.text[:120]}"


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    starts_on = PlausibleDateField(label=_("Starts on"), widget=DateInput(), required=False,
                                help_text=_("Empty: 1 January of the theme's year."))
    ends_on = PlausibleDateField(label=_("Ends on"), widget=DateInput(), required=False,
                              help_text=_("Empty: 31 December of the theme's year."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, with_scope_fields: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_scope_fields:
            self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Unit"))
            self.fields["theme"] = ThemeChoiceField(
                # Set at or above a unit the user may plan for: a theme read only through one of the unit's
                # plans (models.FollowedReadsQuerySet) is no longer above it, and create_plan refuses it.
                label=_("Theme"), queryset=restrict(Theme.objects.select_related("organisation"), user, Action.ADD)
                .order_by("-year", "id"))
            self.order_fields(["organisation", "theme"])


class OwnerField(forms.ModelMultipleChoiceField):
    """People or units in charge. Those already on the task who would no longer be offered (a person who has since
    left, a unit since merged or dissolved) stay in the list, selected and marked, so that saving the form unchanged
    keeps them; the service takes them off only when told to."""

    def __init__(self, *args: Any, is_former: Callable[[Any], bool], former_label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_former, self.former_label = is_former, former_label

    def label_from_instance(self, obj: Any) -> str:
        return self.former_label % {"name": obj} if self.is_former(obj) else str(obj)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=500)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = PlausibleDateField(label=_("Deadline"), widget=DateInput(), required=False)
    deadline_working_days = forms.IntegerField(
        label=_("…or working days from the plan's start"), required=False, min_value=0, max_value=400,
        help_text=_("Weekends and Vietnamese public holidays are not counted."))
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=2, initial=1,
                                help_text=_("How much the task counts in the plan's progress."))
    target = forms.CharField(label=_("Target"), max_length=300, required=False)

    def __init__(self, *args: Any, plan: Plan, task: PlanTask | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if task is not None and task.required:  # the higher level's title and weight stay (the service refuses)
            self.fields["title"].disabled = True
            self.fields["weight"].disabled = True
        root = plan.organisation.path
        # .all(): the task page's selector has them prefetched.
        current_units = {unit.pk for unit in task.owner_units.all()} if task else set()
        current_people = {person.pk for person in task.owner_people.all()} if task else set()

        def offered(unit: Organisation) -> bool:
            return unit.is_active and unit.path.startswith(root)

        self.fields["owner_units"] = OwnerField(
            label=_("Units in charge"), required=False, is_former=lambda unit: not offered(unit),
            former_label=_("%(name)s (merged or dissolved)"),
            queryset=Organisation.objects.filter(
                Q(path__startswith=root, dissolved_on__isnull=True) | Q(pk__in=current_units)).order_by("path"),
            widget=forms.SelectMultiple(attrs={"size": 6}))
        serving = Exists(Membership.objects.filter(person=OuterRef("pk"), organisation__path__startswith=root,
                                                   until__isnull=True))
        self.fields["owner_people"] = OwnerField(
            label=_("People in charge"), required=False, is_former=lambda person: not person.serving,
            former_label=_("%(name)s (no longer serving here)"),
            queryset=Person.objects.annotate(serving=serving).filter(Q(serving=True) | Q(pk__in=current_people))
            .order_by("sort_key"),
            widget=forms.SelectMultiple(attrs={"size": 6}))
        if task is not None:
            self.initial.setdefault("owner_units", sorted(current_units))
            self.initial.setdefault("owner_people", sorted(current_people))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("deadline") is None and data.get("deadline_working_days") is None and not self.errors:
            raise ValidationError(_("Give a deadline, or a number of working days from the plan's start."))
        return data


class StatusField(forms.ChoiceField):
    """Offers the statuses the policy allows for the task; any known status is still read, so one the policy
    refuses (posted from a page drawn before the task was required, or by hand) reaches report_progress and is
    refused with the reason, not with "not a valid choice" (as orgs.forms.KindField)."""

    def valid_value(self, value: Any) -> bool:
        return value in TaskStatus.values


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), required=False, min_value=0, max_value=100)
    status = StatusField(label=_("Status"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cancel_reason = forms.CharField(label=_("Reason for cancelling"), max_length=500, required=False)

    def __init__(self, *args: Any, task: PlanTask, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices come from the task each time the form is built, bound or not: the page drawn again after a
        # refusal (core.forms.page_form) offers what the first one did (policy.status_decisions).
        statuses = policy.allowed_statuses(user, task)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("— follows the progress —")), *((status.value, status.label) for status in statuses)]
        if TaskStatus.CANCELLED not in statuses:  # nothing to give a reason for
            del self.fields["cancel_reason"]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.CharField(label=_("Link"), max_length=500, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class _Boxes(forms.CheckboxSelectMultiple):
    """Check boxes the cascade page lays out one by one (each box carries Bootstrap's class itself)."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-check-input"})


class CascadeForm(forms.Form):
    lead_working_days = forms.IntegerField(
        label=_("Sub-units report this many working days before each deadline"), min_value=0, max_value=60,
        initial=0)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        children = plan.organisation.children.filter(dissolved_on__isnull=True).order_by("sort_key")
        # Nothing is ticked until the user ticks it (issue 10: ticking one cell on a pre-ticked form sent the plan
        # to every unit); the confirmation page then lists what will be written.
        self.fields["units"] = forms.ModelMultipleChoiceField(label=_("Sub-units"), queryset=children, widget=_Boxes())
        open_tasks = plan.tasks.exclude(status=TaskStatus.CANCELLED).order_by("deadline", "id")
        self.fields["tasks"] = forms.ModelMultipleChoiceField(
            label=_("Tasks sent as required tasks"), queryset=open_tasks, widget=_Boxes(), required=False)
        self.order_fields(["units", "tasks", "lead_working_days"])
