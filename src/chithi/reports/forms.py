"""Forms of the reports room (plain django.forms). Unit choices are cut to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import PlausibleDateField
from chithi.core.permissions import Action, restrict
from chithi.orgs.forms import DateInput
from chithi.orgs.models import Organisation, OrgKind

from . import figures as fig
from .models import SECTIONS, Report, ReportKind


class PeriodForm(forms.Form):
    """The dashboard's custom period, typed dd/mm/yyyy like every other date of the product (a native date input
    follows the browser's language: mm/dd/yyyy on an office PC set up in English)."""

    start = PlausibleDateField(label=_("From (custom)"), required=False, widget=DateInput(
        attrs={"id": "d-start", "class": "form-control form-control-sm"}))
    end = PlausibleDateField(label=_("To (custom)"), required=False, widget=DateInput(
        attrs={"id": "d-end", "class": "form-control form-control-sm"}))


class RoundForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Opened by"))
    kind = forms.ChoiceField(choices=ReportKind.choices, label=_("Kind of report"))
    title = forms.CharField(max_length=300, label=_("Title"))
    period_start = PlausibleDateField(label=_("Period from"), widget=DateInput())
    period_end = PlausibleDateField(label=_("Period to"), widget=DateInput())
    deadline = PlausibleDateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = (OrgKind.PARTY_COMMITTEE, OrgKind.WARD_COMMITTEE)
        self.fields["unit"].queryset = restrict(  # type: ignore[attr-defined]
            Organisation.objects.filter(kind__in=kinds, dissolved_on__isnull=True), user, Action.ADD
        ).order_by("sort_key")


class ReportForm(forms.Form):
    summary = forms.CharField(max_length=300, required=False, label=_("Summary line (under BÁO CÁO)"))

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[f"section_{key}"] = forms.CharField(
                label=f"{key}. {label}", required=False, widget=forms.Textarea(attrs={"rows": 5}))
        for f in fig.FIGURES:
            computed = report.figures.get(f.key, 0)
            self.fields[f"fig_{f.key}"] = forms.IntegerField(
                label=f.label, required=False, min_value=0, max_value=fig.MAX_TYPED,
                help_text=_("Computed: %(value)s. Leave it to keep the computed figure.") % {"value": computed})
            self.fields[f"why_{f.key}"] = forms.CharField(
                label=_("Reason for the corrected figure"), required=False, max_length=300)
        self.fields["place"] = forms.CharField(max_length=100, required=False, label=_("Place (for the date line)"))
        self.fields["signer_title"] = forms.CharField(max_length=120, required=False, label=_("Signs as"))
        self.fields["signer_name"] = forms.CharField(max_length=120, required=False, label=_("Signer"))
        self.fields["recipients"] = forms.CharField(required=False, label=_("Recipients, one a line"),
                                                    widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(report: Report) -> dict[str, Any]:
        initial: dict[str, Any] = {"summary": report.summary, "place": report.place,
                                   "signer_title": report.signer_title, "signer_name": report.signer_name,
                                   "recipients": report.recipients}
        for key, _label in SECTIONS:
            initial[f"section_{key}"] = report.sections.get(key, "")
        for key, entry in report.overrides.items():
            initial[f"fig_{key}"] = entry.get("value")
            initial[f"why_{key}"] = entry.get("reason", "")
        return initial

    def changes(self, report: Report) -> dict[str, Any]:
        from .services import clean_overrides

        data = self.cleaned_data
        typed = {f.key: (data.get(f"fig_{f.key}"), data.get(f"why_{f.key}")) for f in fig.FIGURES}
        return {
            "summary": data["summary"], "place": data["place"], "signer_title": data["signer_title"],
            "signer_name": data["signer_name"], "recipients": data["recipients"],
            "sections": {key: data[f"section_{key}"] for key, _label in SECTIONS},
            "overrides": clean_overrides(report, typed),
        }

    def text_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith(("fig_", "why_"))]

    def figure_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(f, self[f"fig_{f.key}"], self[f"why_{f.key}"]) for f in fig.FIGURES]


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What to revise"), widget=forms.Textarea(attrs={"rows": 4}))


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class NumberForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), required=False, min_value=1,
                                help_text=_("Leave empty for the next free number of the term."))


class AttachForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "PDF, Word, Excel, text or a photo (JPEG, PNG); at most 20 MB for a document, 5 MB for a photo."))
