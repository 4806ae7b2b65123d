"""Forms of the grassroots room (plain django.forms; `_form.html`'s bootstrap filter styles them). Choices are
always cut to the user's scope; the phone forms (attendance, minutes, visit, home help, ceremony) keep one
column and large targets in their templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chithi.core.contacts import clean_phone_field
from chithi.core.inputs import PlausibleDateField, PlausibleDateTimeField
from chithi.core.permissions import Action, restrict
from chithi.orgs.forms import DateInput as OrgsDateInput
from chithi.orgs.models import Organisation, OrgKind, Person

from . import rules
from .models import (
    AbsenceReason,
    AgendaItem,
    AttendanceStatus,
    CeremonyStatus,
    CommitmentGrade,
    GroupRole,
    HelpOutcome,
    HomeReason,
    Household,
    Meeting,
    MeetingKind,
    MinutesVersion,
    RequestChannel,
    ResolutionTask,
    SelfAssessment,
    TaskOutcome,
    ThemeKind,
    WorkingGroup,
)
from .selectors.meetings import RosterEntry


class DateInput(OrgsDateInput):
    """The one dd/mm/yyyy date input (orgs.forms.DateInput, issue 10)."""


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def datetime_field(label: Any, **kwargs: Any) -> PlausibleDateTimeField:
    """A day and time within the years a record can have (testers moved a meeting to 01/01/3000)."""
    return PlausibleDateTimeField(label=label, widget=DateTimeInput(),
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"], **kwargs)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return "\u00a0\u00a0" * obj.depth + obj.name


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


def units_field(user: Any, action: Action, *, label: Any, kinds: Iterable[str] | None = None,
                residential: bool | None = None, required: bool = True) -> UnitChoiceField:
    queryset = restrict(Organisation.objects.active(), user, action).order_by("path")
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    if residential is not None:
        queryset = queryset.filter(residential=residential)
    return UnitChoiceField(queryset=queryset, label=label, required=required)


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- meetings -------------------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    theme_kind = forms.ChoiceField(label=_("Kind of topic (thematic meeting)"), required=False,
                                   choices=[("", "—"), *ThemeKind.choices])
    topic = forms.CharField(label=_("Topic (thematic meeting)"), max_length=300, required=False)
    starts_at = datetime_field(_("Day and time"))
    planned_minutes = forms.IntegerField(label=_("Planned length (minutes)"), min_value=1, max_value=600,
                                         initial=rules.minimum_minutes(combined=False))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=textarea(2))

    def __init__(self, *args: Any, user: Any, with_cell: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_cell:
            self.fields["organisation"] = units_field(user, Action.ADD, label=_("Party cell"),
                                                      kinds=[OrgKind.PARTY_CELL])
            self.fields["notify_members"] = forms.BooleanField(
                label=_("Send the notice to the members now"), required=False)
            self.order_fields(["organisation"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=textarea(2))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=500, required=False)

    def __init__(self, *args: Any, plan_tasks: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_task"] = forms.ModelChoiceField(label=_("Or one of the cell's current plan tasks"),
                                                          queryset=plan_tasks, required=False)


class AttendanceForm(forms.Form):
    """One row per member of the roster: status, reason, note."""

    def __init__(self, *args: Any, roster: list[RosterEntry], current: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roster = roster
        for entry in roster:
            pk = entry.person.pk
            row = current.get(pk)
            choices = [c for c in AttendanceStatus.choices if c[0] != AttendanceStatus.EXEMPT or entry.exempt]
            default = AttendanceStatus.EXEMPT if entry.exempt else AttendanceStatus.PRESENT
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=entry.person.full_name, choices=choices, widget=forms.RadioSelect,
                initial=row.status if row else default)
            self.fields[f"reason_{pk}"] = forms.ChoiceField(
                label=_("Reason"), required=False, choices=[("", _("— reason for the absence —")),
                                                           *AbsenceReason.choices],
                initial=row.reason if row else "")
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=300, initial=row.note if row else "",
                widget=forms.TextInput(attrs={"placeholder": _("Note (optional)")}))

    def rows(self) -> list[dict[str, Any]]:
        return [{"entry": e, "status": self[f"status_{e.person.pk}"], "reason": self[f"reason_{e.person.pk}"],
                 "note": self[f"note_{e.person.pk}"]} for e in self.roster]

    def entries(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [{"person": e.person.pk, "status": data[f"status_{e.person.pk}"],
                 "reason": data[f"reason_{e.person.pk}"], "note": data[f"note_{e.person.pk}"]} for e in self.roster]


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    title = forms.CharField(label=_("Position, unit"), max_length=200, required=False)


EXTRA_REMARKS = 3
# A party cell has tens of members, a few hundred at the very largest; without a bound a typed 10²² reached the
# database (a 500: the column is a small integer).
MAX_VOTES = 1000


class MinutesForm(forms.Form):
    """The minutes on a phone: chair and minute-taker, times, each item's conclusion, remarks by name, the
    resolution and its vote, the self-assessed score."""

    started_at = forms.TimeField(label=_("Started at"), required=False, widget=TimeInput())
    ended_at = forms.TimeField(label=_("Ended at"), required=False, widget=TimeInput())
    report = forms.CharField(label=_("Report and discussion"), required=False, widget=textarea(4))
    resolution = forms.CharField(label=_("Conclusion / resolution"), required=False, widget=textarea(4))
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0, max_value=MAX_VOTES)
    votes_total = forms.IntegerField(label=_("Official members voting"), required=False, min_value=0,
                                     max_value=MAX_VOTES)

    def __init__(self, *args: Any, meeting: Meeting, present: list[Person], agenda: list[AgendaItem],
                 version: MinutesVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agenda = agenda
        people = Person.objects.filter(pk__in=[p.pk for p in present]).order_by("sort_key")
        self.fields["chair"] = PersonChoiceField(label=_("Chair"), queryset=people, required=False)
        self.fields["secretary"] = PersonChoiceField(label=_("Minute-taker"), queryset=people, required=False)
        self.order_fields(["chair", "secretary", "started_at", "ended_at", "report"])
        remarks = list(version.remarks) if version else []
        conclusions = dict(version.conclusions) if version else {}
        for item in agenda:
            self.fields[f"conclusion_{item.pk}"] = forms.CharField(
                label=f"{item.position}. {item.title}", required=False, widget=textarea(2),
                initial=conclusions.get(str(item.pk), ""))
        speaker_choices = [("", _("— a guest (write the name) —")), *[(str(p.pk), p.full_name) for p in present]]
        item_choices = [("", "—"), *[(str(i.pk), f"{i.position}. {i.title[:60]}") for i in agenda]]
        self.remark_count = len(remarks) + EXTRA_REMARKS
        for n in range(self.remark_count):
            old = remarks[n] if n < len(remarks) else {}
            self.fields[f"remark_{n}_person"] = forms.ChoiceField(
                label=_("Speaker"), required=False, choices=speaker_choices, initial=str(old.get("person") or ""))
            self.fields[f"remark_{n}_name"] = forms.CharField(
                label=_("Guest's name"), required=False, max_length=120,
                initial=old.get("name", "") if not old.get("person") else "")
            self.fields[f"remark_{n}_item"] = forms.ChoiceField(
                label=_("On item"), required=False, choices=item_choices, initial=str(old.get("item") or ""))
            self.fields[f"remark_{n}_text"] = forms.CharField(
                label=_("Remark"), required=False, widget=textarea(2), initial=old.get("text", ""))
        parts = version.score_parts if version else {}
        for key, label, points in rules.score_frame():
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=f"{label} (/{points})", required=False, min_value=0, max_value=points, initial=parts.get(key))
        if version is not None:
            for name in ("chair", "secretary", "started_at", "ended_at", "report", "resolution", "votes_for",
                         "votes_total"):
                self.fields[name].initial = getattr(version, f"{name}_id" if name in ("chair", "secretary")
                                                    else name)

    def conclusion_fields(self) -> list[forms.BoundField]:
        return [self[f"conclusion_{item.pk}"] for item in self.agenda]

    def remark_rows(self) -> list[dict[str, forms.BoundField]]:
        return [{part: self[f"remark_{n}_{part}"] for part in ("person", "name", "item", "text")}
                for n in range(self.remark_count)]

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{key}"] for key, _label, _points in rules.score_frame()]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "chair": data["chair"], "secretary": data["secretary"], "started_at": data["started_at"],
            "ended_at": data["ended_at"], "report": data["report"], "resolution": data["resolution"],
            "votes_for": data["votes_for"], "votes_total": data["votes_total"],
            "conclusions": {str(item.pk): data[f"conclusion_{item.pk}"] for item in self.agenda},
            "remarks": [{"person": data[f"remark_{n}_person"] or None, "name": data[f"remark_{n}_name"],
                         "item": data[f"remark_{n}_item"] or None, "text": data[f"remark_{n}_text"]}
                        for n in range(self.remark_count)],
            "score_parts": {key: data[f"score_{key}"] for key, _label, _points in rules.score_frame()},
        }


class ResolutionTaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=500)
    due_on = PlausibleDateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args: Any, roster: list[RosterEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = PersonChoiceField(
            label=_("Assigned to"), required=False,
            queryset=Person.objects.filter(pk__in=[e.person.pk for e in roster]).order_by("sort_key"))
        self.order_fields(["title", "assignee", "due_on"])


class ReviewForm(forms.Form):
    def __init__(self, *args: Any, tasks: list[ResolutionTask], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tasks = tasks
        for task in tasks:
            self.fields[f"outcome_{task.pk}"] = forms.ChoiceField(label=task.title, choices=TaskOutcome.choices,
                                                                  initial=task.outcome)
            self.fields[f"note_{task.pk}"] = forms.CharField(label=_("Note"), required=False, max_length=500)

    def rows(self) -> list[dict[str, Any]]:
        return [{"task": t, "outcome": self[f"outcome_{t.pk}"], "note": self[f"note_{t.pk}"]} for t in self.tasks]

    def outcomes(self) -> list[dict[str, Any]]:
        return [{"task": t.pk, "outcome": self.cleaned_data[f"outcome_{t.pk}"],
                 "note": self.cleaned_data[f"note_{t.pk}"]} for t in self.tasks]


class StandingForm(forms.Form):
    official_on = PlausibleDateField(label=_("Official member since"), required=False, widget=DateInput(),
                                  help_text=_("Empty: the end of the probationary period after joining."))
    exempt_from = PlausibleDateField(label=_("Exempt from party activities from"), required=False, widget=DateInput())
    exempt_until = PlausibleDateField(label=_("Exempt until"), required=False, widget=DateInput())
    exempt_reason = forms.CharField(label=_("Reason for the exemption"), required=False, max_length=300)


# --- commitments ----------------------------------------------------------------------------------------

COMMITMENT_ROWS = 5


class CommitmentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, cells: QuerySet[Organisation], people: QuerySet[Person] | None,
                 items: list[tuple[str, dt.date]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = UnitChoiceField(label=_("Party cell"), queryset=cells)
        if people is not None:
            self.fields["person"] = PersonChoiceField(label=_("Member"), queryset=people)
        self.order_fields(["person", "organisation", "year"])
        for n in range(max(COMMITMENT_ROWS, len(items) + 1)):
            text, due = items[n] if n < len(items) else ("", None)
            self.fields[f"text_{n}"] = forms.CharField(label=_("What I will do"), required=False, max_length=500,
                                                       initial=text)
            self.fields[f"due_{n}"] = PlausibleDateField(label=_("By when"), required=False, widget=DateInput(),
                                                      initial=due)
        self.rows_count = max(COMMITMENT_ROWS, len(items) + 1)

    def head_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("person", "organisation", "year") if name in self.fields]

    def item_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"text_{n}"], self[f"due_{n}"]) for n in range(self.rows_count)]

    def items(self) -> list[dict[str, Any]]:
        return [{"text": self.cleaned_data[f"text_{n}"], "due_on": self.cleaned_data[f"due_{n}"]}
                for n in range(self.rows_count)]


class ReflectionForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, q) for q in range(1, 5)])
    assessment = forms.ChoiceField(label=_("How far I am"), choices=SelfAssessment.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Self-reflection"), widget=textarea(5))


class CommitmentReviewForm(forms.Form):
    grade = forms.ChoiceField(label=_("Cell's assessment"), choices=CommitmentGrade.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Review note"), required=False, widget=textarea(3))

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = forms.ModelChoiceField(label=_("At the meeting"), queryset=meetings, required=False)


# --- working groups, households, visits ----------------------------------------------------------------


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    starts_on = PlausibleDateField(label=_("From"), widget=DateInput())
    ends_on = PlausibleDateField(label=_("Until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Tasks"), required=False, widget=textarea(3))

    def __init__(self, *args: Any, user: Any, group: WorkingGroup | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if group is None:
            self.fields["organisation"] = units_field(user, Action.ADD, label=_("Set up by"))
        people = restrict(Person.objects.all(), user, Action.VIEW).order_by("sort_key")
        self.fields["leader"] = PersonChoiceField(label=_("Group leader"), queryset=people)
        self.fields["members"] = forms.ModelMultipleChoiceField(
            label=_("Other members"), queryset=people, required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
        self.fields["followed_units"] = forms.ModelMultipleChoiceField(
            label=_("Units it follows"), widget=forms.SelectMultiple(attrs={"size": 8}),
            queryset=restrict(Organisation.objects.active(), user, Action.VIEW).order_by("path"))
        self.order_fields(["organisation", "name", "starts_on", "ends_on", "leader", "members", "followed_units"])

    def members(self) -> list[tuple[Person, str]]:
        leader = self.cleaned_data["leader"]
        return [(leader, GroupRole.LEADER), *[(p, GroupRole.MEMBER) for p in self.cleaned_data["members"]
                                              if p.pk != leader.pk]]


class GroupAttendanceForm(forms.Form):
    def __init__(self, *args: Any, meetings: QuerySet[Meeting], members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = forms.ModelChoiceField(label=_("Meeting"), queryset=meetings)
        self.fields["people"] = PeopleField(label=_("Who attended"), queryset=members)


class HouseholdForm(forms.Form):
    head_name = forms.CharField(label=_("Head of household"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=255)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    members_note = forms.CharField(label=_("Household members"), required=False, widget=textarea(3),
                                   help_text=_("Names and ages as the family gives them; no ID numbers."))
    elderly = forms.BooleanField(label=_("Elderly person living here"), required=False)
    disabled = forms.BooleanField(label=_("Person with a disability"), required=False)

    def __init__(self, *args: Any, user: Any, with_area: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_area:
            self.fields["residential_area"] = units_field(user, Action.ADD, label=_("Residential area"),
                                                          residential=True)
            self.order_fields(["residential_area"])

    def clean_phone(self) -> str:
        """The one phone rule (core.contacts), said under the field before the service says it again."""
        return clean_phone_field(self)


class HouseholdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Household) -> str:
        return f"{obj.head_name} — {obj.address}"


class VisitPlanForm(forms.Form):
    starts_at = datetime_field(_("When"))

    def __init__(self, *args: Any, households: QuerySet[Household], members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"] = HouseholdChoiceField(label=_("Household"), queryset=households)
        self.fields["visitors"] = PeopleField(label=_("Who goes"), queryset=members, required=False)
        self.order_fields(["household", "starts_at", "visitors"])


class VisitRecordForm(forms.Form):
    situation = forms.CharField(label=_("The household's situation"), required=False, widget=textarea(3))
    raised = forms.CharField(label=_("What the residents raised"), required=False, widget=textarea(3))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=textarea(2))

    def __init__(self, *args: Any, members: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visitors"] = PeopleField(label=_("Who went"), queryset=members)
        self.order_fields(["visitors"])


class ConcernForm(forms.Form):
    description = forms.CharField(label=_("What was raised"), widget=textarea(3))


class RaiseIssueForm(forms.Form):
    def __init__(self, *args: Any, user: Any, categories: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ModelChoiceField(label=_("Kind of issue"), queryset=categories)
        self.fields["organisation"] = units_field(user, Action.ADD, label=_("Unit that handles it"),
                                                  kinds=[OrgKind.WARD_COMMITTEE, OrgKind.PARTY_COMMITTEE,
                                                         OrgKind.GOVERNMENT, OrgKind.AGENCY])


# --- help at home ---------------------------------------------------------------------------------------


class HomeHelpForm(forms.Form):
    resident_name = forms.CharField(label=_("Resident helped"), max_length=120, required=False)
    channel = forms.ChoiceField(label=_("Came in"), choices=RequestChannel.choices)
    reason = forms.ChoiceField(label=_("Why at home"), choices=HomeReason.choices, widget=forms.RadioSelect)
    reason_note = forms.CharField(label=_("Details"), max_length=300, required=False)
    slot_start = datetime_field(_("Appointment"))
    slot_minutes = forms.IntegerField(label=_("Length (minutes)"), initial=45, min_value=1, max_value=600)

    def __init__(self, *args: Any, units: QuerySet[Organisation], households: QuerySet[Household],
                 procedures: QuerySet[Any], officers: QuerySet[Person], visits: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = UnitChoiceField(label=_("Handling unit"), queryset=units)
        self.fields["household"] = HouseholdChoiceField(label=_("Household"), queryset=households)
        self.fields["procedure"] = forms.ModelChoiceField(label=_("Procedure"), queryset=procedures)
        self.fields["officer"] = PersonChoiceField(label=_("Officer"), queryset=officers)
        self.fields["visit"] = forms.ModelChoiceField(label=_("From the visit"), queryset=visits, required=False)
        self.order_fields(["organisation", "household", "resident_name", "procedure", "channel", "visit", "reason",
                           "reason_note", "slot_start", "slot_minutes", "officer"])


class RescheduleForm(forms.Form):
    slot_start = datetime_field(_("New appointment"))

    def __init__(self, *args: Any, officers: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"] = PersonChoiceField(label=_("Officer"), queryset=officers, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect,
                                choices=[c for c in HelpOutcome.choices if c[0] != HelpOutcome.PENDING])
    outcome_note = forms.CharField(label=_("What was done"), required=False, widget=textarea(3))
    keep_note = forms.CharField(label=_("What the resident must keep"), required=False, max_length=500,
                                help_text=_("E.g. the phone an account was activated on, an appointment slip."))
    satisfaction = forms.TypedChoiceField(label=_("Resident's satisfaction"), required=False, coerce=int,
                                          empty_value=None, widget=forms.RadioSelect,
                                          choices=[(n, str(n)) for n in range(1, 6)])


# --- flag ceremonies ------------------------------------------------------------------------------------


# One body's ceremony gathers tens to a few thousand people; the bound keeps a slip of the thumb (or 10²², which
# testers typed and the database refused with a 500) out of the month's figures.
MAX_CEREMONY_PEOPLE = 100_000


class CeremonyForm(forms.Form):
    status = forms.ChoiceField(label=_("Held?"), choices=CeremonyStatus.choices, widget=forms.RadioSelect,
                               initial=CeremonyStatus.HELD)
    held_on = PlausibleDateField(label=_("Date"), required=False, widget=DateInput())
    start_time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    speaker_name = forms.CharField(label=_("Speaker (if not in the list)"), max_length=120, required=False)
    topic = forms.CharField(label=_("Topic of the talk"), max_length=300, required=False)
    attendance = forms.IntegerField(label=_("People present"), required=False, min_value=0,
                                    max_value=MAX_CEREMONY_PEOPLE)
    expected = forms.IntegerField(label=_("People expected"), required=False, min_value=0,
                                  max_value=MAX_CEREMONY_PEOPLE)
    reason = forms.CharField(label=_("Why it was not held"), max_length=500, required=False, widget=textarea(2))

    def __init__(self, *args: Any, speakers: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"] = PersonChoiceField(label=_("Ideological talk given by"), queryset=speakers,
                                                   required=False)
        self.order_fields(["status", "held_on", "start_time", "place", "speaker", "speaker_name", "topic",
                           "attendance", "expected", "reason"])

