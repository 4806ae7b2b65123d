"""Forms for organisations and people; choices are always limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chithi.core.contacts import clean_phone_field
from chithi.core.inputs import PlausibleDateField
from chithi.core.permissions import Action, Role, restrict

from .models import Gender, Organisation, OrgKind, Person, child_kinds
from .services import SplitPart


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: a native date input follows the browser's language (mm/dd/yyyy on an office PC
    set up in English), whatever the page's language (issue 10). The forms read it with DATE_INPUT_FORMATS."""

    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                 "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}", **kwargs.pop("attrs", {})}
        super().__init__(format="%d/%m/%Y", attrs=attrs, **kwargs)


def indented(obj: Organisation) -> str:
    """A unit's name indented by its depth, so a list of units in path order reads as the tree."""
    return "\u00a0\u00a0" * obj.depth + obj.name


class ScopedOrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return indented(obj)


class ScopedOrgMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return indented(obj)


def scoped_org_field(user: Any, action: Action, *, label: Any, required: bool = True,
                     also: Organisation | None = None) -> ScopedOrgChoiceField:
    """A choice among the existing units the user may do `action` on (and `also`, the value already held)."""
    queryset = restrict(Organisation.objects.active(), user, action)
    if also is not None:
        queryset = queryset | Organisation.objects.filter(pk=also.pk)
    return ScopedOrgChoiceField(queryset=queryset.order_by("path"), label=label, required=required,
                                empty_label=_("Choose a unit"))


class KindField(forms.ChoiceField):
    """The kinds offered are those the unit may be; any known kind is still read, so that one which may not stand
    under the chosen parent reaches the service and is refused with the reason, not with "not a valid choice"."""

    def valid_value(self, value: Any) -> bool:
        return value in OrgKind.values


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    kind = KindField(label=_("Kind"), choices=OrgKind.choices)
    residential = forms.BooleanField(label=_("Party cell of a residential area"), required=False)
    established_on = PlausibleDateField(past=True, label=_("Established on"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, org: Organisation | None = None, **kwargs: Any) -> None:
        """`org`: the unit being edited. It keeps its parent even where the user may not add under that parent
        (a ward's secretary edits the ward, whose parent is the city); the top-level unit has none."""
        super().__init__(*args, **kwargs)
        parent = org.parent if org is not None else None
        self.fields["parent"] = scoped_org_field(user, Action.ADD, label=_("Parent unit"), also=parent,
                                                 required=org is None or parent is not None)
        if org is not None and parent is None:
            del self.fields["parent"]
        self.order_fields(["parent", "name", "short_name", "code", "kind"])
        offered = self._offered_kinds(org)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, KindField)
        kind_field.choices = [(kind, label) for kind, label in OrgKind.choices if kind in offered]

    def _offered_kinds(self, org: Organisation | None) -> set[str]:
        """The kinds that may stand under at least one unit offered as the parent (models.CHILD_KINDS), and, for a
        unit being edited, that may hold its sub-units, with its own kind always: a cell's secretary is not offered
        a ward committee. The service checks the kind against the parent actually chosen."""
        field = self.fields.get("parent")
        if field is None:  # the top-level unit keeps its place: any kind may stand there
            offered = set(OrgKind.values)
        else:
            parent_kinds = set(field.queryset.order_by().values_list("kind", flat=True).distinct())  # type: ignore[attr-defined]
            offered = {kind for parent_kind in parent_kinds for kind in child_kinds(parent_kind)}
        if org is None:
            return offered
        held = set(org.children.filter(dissolved_on__isnull=True).values_list("kind", flat=True).distinct())
        return {kind for kind in offered if held <= set(child_kinds(kind))} | {org.kind}


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_date = PlausibleDateField(past=True, label=_("Date of birth"), required=False, widget=DateInput())
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    party_joined_on = PlausibleDateField(past=True, label=_("Joined the party on"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_phone(self) -> str:
        """The one phone rule (core.contacts); a number recorded before it passes while it is left as it is."""
        return clean_phone_field(self)


class NewPersonForm(PersonForm):
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    since = PlausibleDateField(label=_("Since"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Unit"))


class MembershipForm(forms.Form):
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    since = PlausibleDateField(label=_("Since"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = scoped_org_field(user, Action.ADD, label=_("Unit"))
        self.order_fields(["organisation", "position", "since"])


class CorrectMembershipForm(forms.Form):
    """Correct a current post as it was recorded; a new post from a date is "End" and "Add a membership"."""

    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    since = PlausibleDateField(label=_("Since"), required=False, widget=DateInput())


class EndMembershipForm(forms.Form):
    until = PlausibleDateField(label=_("Until"), widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Choose an Excel file ending in .xlsx."))
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class MergeForm(forms.Form):
    effective_on = PlausibleDateField(label=_("Effective on"), widget=DateInput())
    new_name = forms.CharField(label=_("Name of the new unit"), max_length=255, required=False,
                               help_text=_("Leave empty to merge into an existing unit."))
    new_code = forms.CharField(label=_("Code of the new unit"), max_length=40, required=False)
    decision = forms.CharField(label=_("Decision (number, date)"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = restrict(Organisation.objects.active(), user, Action.RESTRUCTURE).exclude(parent=None)
        self.fields["sources"] = ScopedOrgMultipleChoiceField(
            queryset=scope.order_by("path"), label=_("Units to merge"),
            # A searchable picker (core/static/chithi/chithi.js): the list holds every unit in scope (52 in Đông Hà).
            widget=forms.SelectMultiple(attrs={"size": 10, "data-picker": "",
                                               "data-picker-placeholder": _("Type to find a unit…"),
                                               "data-picker-chosen": _("Chosen:")}))
        self.fields["target"] = scoped_org_field(user, Action.RESTRUCTURE, label=_("Into existing unit"),
                                                 required=False)
        self.order_fields(["sources", "target", "new_name", "new_code", "effective_on", "decision", "note"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") and data.get("new_name"):
            raise ValidationError(_("Either choose an existing unit or name a new one, not both."))
        if not data.get("target") and not data.get("new_name"):
            raise ValidationError(_("Choose an existing unit or name a new one."))
        return data


class SplitForm(forms.Form):
    names = forms.CharField(
        label=_("New units, one name per line"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least two. People not assigned below go to the first unit."))
    effective_on = PlausibleDateField(label=_("Effective on"), widget=DateInput())
    decision = forms.CharField(label=_("Decision (number, date)"), max_length=200, required=False)

    def __init__(self, *args: Any, people: list[Person], children: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(i), _("New unit %(n)d") % {"n": i}) for i in range(1, 7)]
        self.people = people
        self.children = children
        for person in people:
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(label=person.full_name, choices=choices,
                                                                    initial="1")
        for child in children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(label=child.name, choices=choices, initial="1")

    def clean_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if len(names) < 2:
            raise ValidationError(_("A split needs at least two new units."))
        if len(names) > 6:
            raise ValidationError(_("At most six new units at once."))
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = data.get("names") or []
        for key, value in list(data.items()):
            if key.startswith(("person_", "child_")) and names and int(value) > len(names):
                self.add_error(key, _("There is no new unit %(n)s.") % {"n": value})
        return data

    def parts(self) -> list[SplitPart]:
        """The new units with the people and sub-units given to each (valid form only)."""
        data = self.cleaned_data
        parts = [SplitPart(name=name) for name in data["names"]]
        for person in self.people:
            parts[int(data[f"person_{person.pk}"]) - 1].people.append(person)
        for child in self.children:
            parts[int(data[f"child_{child.pk}"]) - 1].children.append(child)
        return parts


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    username = forms.CharField(label=_("User name"), max_length=150)

    def clean_username(self) -> Any:
        from chithi.core.models import User

        try:
            return User.objects.get(username=self.cleaned_data["username"], is_active=True)
        except User.DoesNotExist:
            raise ValidationError(_("No active user with this name.")) from None
