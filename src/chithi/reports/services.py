"""Writes of the reports room: open a round, edit / submit / return / accept / correct a report, compile the
opening unit's report, register a document number, render the DOCX, remind late units. Each checks scope and
the policy, validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.notify import notify
from chithi.core.numbers import number
from chithi.core.permissions import Action, Role
from chithi.core.uploads import checked_content_type, clean_document, clean_image, is_image_name
from chithi.core.writes import acting_user, locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation, OrgKind
from chithi.orgs.selectors import users_with_role

from . import figures as fig
from . import policy
from .models import (
    EDITABLE_STATUSES,
    SECTION_KEYS,
    DocumentNumber,
    Report,
    ReportAttachment,
    ReportKind,
    ReportStatus,
    Round,
    RoundStatus,
)

REPORT_FIELDS = ("summary", "sections", "overrides", "place", "signer_title", "signer_name", "recipients")
MAX_SECTION = 20_000
# A compiled report first holds every sub-unit's narrative (200 wards × a page) for the drafter to condense.
MAX_COMPILED_SECTION = 1_000_000


def default_place() -> str:
    return str(getattr(settings, "REPORTS_DEFAULT_PLACE", "Đông Hà"))


def _signer_for(unit: Organisation) -> str:
    return "BÍ THƯ"


def sub_units(unit: Organisation) -> list[Organisation]:
    """The direct sub-units that report: party committees and cells (not the committee's own departments)."""
    kinds = (OrgKind.PARTY_COMMITTEE, OrgKind.WARD_COMMITTEE, OrgKind.PARTY_CELL)
    return list(Organisation.objects.filter(parent=unit, kind__in=kinds, dissolved_on__isnull=True)
                .order_by("sort_key"))


def _blank_sections() -> dict[str, str]:
    return dict.fromkeys(SECTION_KEYS, "")


@transaction.atomic
def open_round(*, actor: Any, unit: Organisation, kind: str, title: str, period_start: dt.date,
               period_end: dt.date, deadline: dt.date, today: dt.date | None = None) -> Round:
    """Open a round for `unit`'s sub-units: a draft for each with its figures at the period's cut-off, and the
    unit's own (compiled) draft."""
    require(actor, Action.ADD, unit)
    require_active(unit, "unit")
    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Unknown kind of report.")
    if period_start > period_end:
        errors["period_end"] = _("The period ends before it starts.")
    if deadline < period_start:
        errors["deadline"] = _("The deadline is before the period starts.")
    if not title.strip():
        errors["title"] = _("This field is required.")
    children = sub_units(unit)
    if not children:
        errors["__all__"] = _("This unit has no sub-units to report to it.")
    if errors:
        raise ValidationError(errors)
    round_ = save_new(Round(organisation=unit, kind=kind, title=title.strip(), period_start=period_start,
                            period_end=period_end, deadline=deadline, created_by=acting_user(actor)), actor=actor)
    computed = fig.figures_for(units=[*children, unit], start=period_start, end=period_end, today=today,
                               using="default")
    for child in children:
        Report.objects.create(round=round_, organisation=child, figures=computed[child.path],
                              sections=_blank_sections(), place=default_place(), signer_title=_signer_for(child))
    Report.objects.create(round=round_, organisation=unit, compiled=True, figures=computed[unit.path],
                          sections=_blank_sections(), place=default_place(), signer_title=_signer_for(unit))
    url = reverse("reports:round_detail", args=[round_.pk])
    for child in children:
        notify(users=users_with_role(child, roles=[Role.SECRETARY], upward=False),
               title=_("Report requested: %(title)s, due %(day)s") % {
                   "title": round_.title, "day": deadline.strftime("%d/%m/%Y")},
               url=url, dedupe_key=f"reports:open:{round_.pk}:{child.pk}", email=False)
    return round_


def _validate_report(report: Report) -> None:
    errors: dict[str, str] = {}
    sections = report.sections
    if not isinstance(sections, dict) or set(sections) - set(SECTION_KEYS):
        errors["sections"] = _("The report has only sections I to V.")
    elif any(len(str(text)) > (limit := MAX_COMPILED_SECTION if report.compiled else MAX_SECTION)
             for text in sections.values()):
        errors["sections"] = _("A section is longer than %(n)d characters.") % {"n": limit}
    overrides = report.overrides
    if not isinstance(overrides, dict):
        errors["overrides"] = _("Invalid corrected figures.")
    else:
        for key, entry in overrides.items():
            if key not in fig.KEYS:
                errors["overrides"] = _("Unknown figure: %(key)s.") % {"key": key}
                break
            value = entry.get("value") if isinstance(entry, dict) else None
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= fig.MAX_TYPED:
                errors["overrides"] = _("%(figure)s: a figure is a whole number from 0 to %(max)s.") % {
                    "figure": fig.LABELS[key], "max": number(fig.MAX_TYPED)}
                break
            if not str(entry.get("reason", "")).strip():
                errors["overrides"] = _("%(figure)s: a figure typed over the computed one needs its reason.") % {
                    "figure": fig.LABELS[key]}
                break
    if errors:
        raise ValidationError(errors)


def clean_overrides(report: Report, typed: dict[str, Any]) -> dict[str, Any]:
    """From a form's {key: (value or None, reason)}: keep the figures that differ from the computed ones."""
    result: dict[str, Any] = {}
    for key, (value, reason) in typed.items():
        if value is None or value == report.figures.get(key):
            continue
        result[key] = {"value": value, "reason": (reason or "").strip()}
    return result


@transaction.atomic
def update_report(*, actor: Any, report: Report, **changes: Any) -> Report:
    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "edit", report)
    if "sections" in changes:
        changes["sections"] = {key: str(changes["sections"].get(key, "") or "").strip() for key in SECTION_KEYS} \
            if isinstance(changes["sections"], dict) else changes["sections"]
    report, _changed = model_update(instance=report, data=changes, fields=REPORT_FIELDS, actor=actor,
                                    validate=_validate_report)
    return report


MAX_ATTACHMENTS = 20


@transaction.atomic
def attach_file(*, actor: Any, report: Report, upload: UploadedFile) -> ReportAttachment:
    """A file checked by core.uploads (a document must be what its extension says, an image is re-encoded without
    its metadata), attached to a draft or returned report; an accepted report is frozen and takes none."""
    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "attach", report)
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("A report takes at most %(n)d attached files.") % {"n": MAX_ATTACHMENTS})
    name = upload.name or "file"
    content: Any = clean_image(upload) if is_image_name(name) else clean_document(upload)
    attachment = ReportAttachment(report=report, original_name=name[:255],
                                  content_type=checked_content_type(content.name)[:100], size=content.size or 0,
                                  uploaded_by=acting_user(actor))
    attachment.file.save(content.name, content, save=False)
    return save_new(attachment, actor=actor, org_path=report.organisation.path, related=report)


@transaction.atomic
def remove_attachment(*, actor: Any, attachment: ReportAttachment) -> None:
    report = locked(attachment.report)
    require(actor, Action.CHANGE, report)
    policy.REPORT.check(actor, "attach", report)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=attachment, org_path=report.organisation.path,
                 related=report)
    attachment.file.delete(save=False)
    attachment.delete()


def missing_sections(report: Report) -> list[str]:
    return [key for key in SECTION_KEYS if not str(report.sections.get(key, "") or "").strip()]


@transaction.atomic
def submit_report(*, actor: Any, report: Report) -> Report:
    """Send the report to the unit that opened the round (the opening unit's own report is finalised)."""
    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "submit", report)
    missing = missing_sections(report)
    if missing:
        raise ValidationError(_("Write every section before submitting; missing: %(sections)s.") % {
            "sections": ", ".join(missing)})
    _validate_report(report)
    before = audit.snapshot(report)
    now = timezone.now()
    report.status = ReportStatus.ACCEPTED if report.compiled else ReportStatus.SUBMITTED
    report.submitted_at = now
    if report.compiled:
        report.decided_at = now
    report.save(update_fields=["status", "submitted_at", "decided_at", "updated_at"])
    audit.record(action=AuditAction.UPDATE, obj=report, before=before, after=audit.snapshot(report), actor=actor,
                 note=_("submitted"))
    if not report.compiled:
        notify(users=users_with_role(report.round.organisation, roles=[Role.SECRETARY], upward=True),
               title=_("%(unit)s submitted its report: %(title)s") % {
                   "unit": report.organisation.name, "title": report.round.title},
               url=report.get_absolute_url(), dedupe_key=f"reports:submit:{report.pk}:{now.timestamp()}",
               email=False)
    return report


@transaction.atomic
def return_report(*, actor: Any, report: Report, comment: str) -> Report:
    require(actor, Action.CHANGE, report.round)
    report = locked(report)
    policy.REPORT.check(actor, "return", report)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what to revise.")})
    before = audit.snapshot(report)
    report.status = ReportStatus.RETURNED
    report.return_comment = comment.strip()
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "return_comment", "decided_at", "updated_at"])
    audit.record(action=AuditAction.UPDATE, obj=report, before=before, after=audit.snapshot(report), actor=actor,
                 note=_("returned for revision"))
    notify(users=users_with_role(report.organisation, roles=[Role.SECRETARY], upward=True),
           title=_("Report returned for revision: %(title)s") % {"title": report.round.title}, body=comment,
           url=report.get_absolute_url(), dedupe_key=f"reports:return:{report.pk}:{report.decided_at.timestamp()}",
           email=False)
    return report


@transaction.atomic
def accept_report(*, actor: Any, report: Report) -> Report:
    require(actor, Action.CHANGE, report.round)
    report = locked(report)
    policy.REPORT.check(actor, "accept", report)
    before = audit.snapshot(report)
    report.status = ReportStatus.ACCEPTED
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_at", "updated_at"])
    audit.record(action=AuditAction.UPDATE, obj=report, before=before, after=audit.snapshot(report), actor=actor,
                 note=_("accepted"))
    return report


@transaction.atomic
def correct_report(*, actor: Any, report: Report, reason: str) -> Report:
    """An accepted report stays frozen; the correction is a new draft version that says why."""
    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "correct", report)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the accepted report is corrected.")})
    report.status = ReportStatus.SUPERSEDED
    report.save(update_fields=["status", "updated_at"])
    top = Report.objects.filter(round=report.round, organisation=report.organisation).aggregate(m=Max("version"))
    new = Report(round=report.round, organisation=report.organisation, compiled=report.compiled,
                 version=(top["m"] or 0) + 1, summary=report.summary, figures=report.figures,
                 overrides=report.overrides, sections=report.sections, place=report.place,
                 signer_title=report.signer_title, signer_name=report.signer_name, recipients=report.recipients,
                 correction_reason=reason.strip())
    return save_new(new, actor=actor, note=reason.strip(), related=report)


def subunit_reports(round_: Report | Round, using: str | None = None) -> list[Report]:
    round_obj = round_.round if isinstance(round_, Report) else round_
    return list(Report.objects.using(using).current().filter(round=round_obj, compiled=False)
                .select_related("organisation").order_by("organisation__sort_key"))


@transaction.atomic
def compile_report(*, actor: Any, report: Report, today: dt.date | None = None) -> Report:
    """The opening unit's report: figures summed from the sub-units' submitted or accepted reports, plus what
    the unit holds itself outside them; each sub-unit's narrative collected under its section for the drafter."""
    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "compile", report)
    rows = [r for r in subunit_reports(report) if r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)]
    summed = fig.total(r.reported_figures() for r in rows)
    own = own_figures(report, today=today)
    compiled = {key: summed[key] + own[key] for key in fig.KEYS}
    sections = {}
    for key in SECTION_KEYS:
        parts = [str(report.sections.get(key, "") or "").strip()]
        for row in rows:
            text = str(row.sections.get(key, "") or "").strip()
            marker = f"[{row.organisation.name}]"
            if text and marker not in parts[0]:
                parts.append(f"{marker} {text}")
        sections[key] = "\n\n".join(p for p in parts if p)
    report, _changed = model_update(instance=report, data={"sections": sections}, fields=REPORT_FIELDS,
                                    actor=actor, validate=_validate_report, note=_("compiled"))
    Report.objects.filter(pk=report.pk).update(figures=compiled)
    report.figures = compiled
    return report


def own_figures(report: Report, *, today: dt.date | None = None, using: str = "default") -> dict[str, int]:
    """What the opening unit holds itself, outside its reporting sub-units: its live subtree minus theirs (read
    from the primary inside a write, from the reporting database for a page's check)."""
    round_ = report.round
    children = [r.organisation for r in subunit_reports(round_, using)]
    live = fig.figures_for(units=[round_.organisation, *children], start=round_.period_start,
                           end=round_.period_end, today=today, using=using)
    mine = live[round_.organisation.path]
    return {key: mine[key] - sum(live[c.path][key] for c in children) for key in fig.KEYS}


def compile_check(report: Report, *, today: dt.date | None = None, using: str = "default") -> list[dict[str, Any]]:
    """For the opening unit's report: each figure as reported, the sub-units' sum plus its own, and the live
    figure; `flag` says where the reported figure disagrees with the sub-units' sum."""
    rows = [r for r in subunit_reports(report, using)
            if r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)]
    summed = fig.total(r.reported_figures() for r in rows)
    own = own_figures(report, today=today, using=using)
    live = fig.unit_figures(unit=report.organisation, start=report.round.period_start, end=report.round.period_end,
                            today=today, using=using)
    out = []
    for f in fig.FIGURES:
        expected = summed[f.key] + own[f.key]
        reported = report.value(f.key)
        out.append({"key": f.key, "label": f.label, "reported": reported, "sum": expected, "live": live[f.key],
                    "flag": reported != expected, "live_differs": expected != live[f.key]})
    return out


def term_of(year: int) -> str:
    """The party congress term a year belongs to (2025–2030, 2030–2035…): numbers restart with each term."""
    start = 2025 + 5 * ((year - 2025) // 5)
    return f"{start}-{start + 5}"


ABBREVIATIONS = {OrgKind.PARTY_COMMITTEE: "TU", OrgKind.WARD_COMMITTEE: "ĐU", OrgKind.PARTY_CELL: "CB"}


def number_text(number: DocumentNumber | None, unit: Organisation) -> str:
    if number is None:
        return ""
    return f"{number.number}-{number.doc_type}/{ABBREVIATIONS.get(unit.kind, 'ĐU')}"  # type: ignore[call-overload]


@transaction.atomic
def register_number(*, actor: Any, report: Report, number: int | None = None) -> DocumentNumber:
    """Give the report the next free number of its unit, type and term (or the number typed, when free)."""
    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "number", report)
    existing = DocumentNumber.objects.filter(report=report).first()
    if existing is not None:
        raise ValidationError(_("This report already has the number %(n)s.") % {
            "n": number_text(existing, report.organisation)})
    term = term_of(report.round.period_end.year)
    numbers = DocumentNumber.objects.select_for_update().filter(organisation=report.organisation, doc_type="BC",
                                                                term=term)
    if number is None:
        number = (numbers.aggregate(m=Max("number"))["m"] or 0) + 1
    elif number < 1:
        raise ValidationError({"number": _("A document number is 1 or more.")})
    elif numbers.filter(number=number).exists():
        raise ValidationError({"number": _("Number %(n)s is already registered for term %(term)s; numbers are "
                                           "never reused.") % {"n": number, "term": term}})
    try:
        with transaction.atomic():
            registered = DocumentNumber.objects.create(organisation=report.organisation, doc_type="BC", term=term,
                                                       number=number, report=report)
    except IntegrityError:
        raise ValidationError({"number": _("Number %(n)s is already registered for term %(term)s; numbers are "
                                           "never reused.") % {"n": number, "term": term}}) from None
    audit.record(action=AuditAction.UPDATE, obj=report, actor=actor,
                 note=_("document number %(n)s") % {"n": number_text(registered, report.organisation)})
    return registered


@transaction.atomic
def render_document(*, actor: Any, report: Report) -> Report:
    """Render the DOCX and keep it on the report. The document is built in memory first: a failed render raises
    before anything is written, so the previous document stays as it was."""
    from .document import build_docx

    require(actor, Action.CHANGE, report)
    report = locked(report)
    policy.REPORT.check(actor, "render", report)
    data = build_docx(report)  # raises on failure: nothing below runs
    old_name = report.document.name if report.document else ""
    report.document.save(f"bao-cao-{report.pk}-v{report.version}.docx", ContentFile(data), save=False)
    report.rendered_at = timezone.now()
    report.save(update_fields=["document", "rendered_at", "updated_at"])
    if old_name and old_name != report.document.name:
        storage = report.document.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit.record(action=AuditAction.UPDATE, obj=report, actor=actor, note=_("document rendered"))
    return report


@transaction.atomic
def close_round(*, actor: Any, round_: Round) -> Round:
    require(actor, Action.CHANGE, round_)
    round_ = locked(round_)
    policy.ROUND.check(actor, "close", round_)
    round_, _changed = model_update(instance=round_, data={"status": RoundStatus.CLOSED}, fields=("status",),
                                    actor=actor)
    return round_


def late_reports(*, today: dt.date | None = None) -> list[Report]:
    today = today or timezone.localdate()
    return list(Report.objects.filter(round__status=RoundStatus.OPEN, round__deadline__lt=today, compiled=False,
                                      status__in=EDITABLE_STATUSES)
                .select_related("round", "organisation", "round__organisation"))


def send_reminders(*, today: dt.date | None = None) -> int:
    """Daily (worker): remind the secretaries of every sub-unit whose report is late; once a day per report."""
    today = today or timezone.localdate()
    sent = 0
    for report in late_reports(today=today):
        with transaction.atomic():
            sent += notify(
                users=users_with_role(report.organisation, roles=[Role.SECRETARY], upward=True),
                title=_("Report overdue: %(title)s (due %(day)s)") % {
                    "title": report.round.title, "day": report.round.deadline.strftime("%d/%m/%Y")},
                url=report.get_absolute_url(), dedupe_key=f"reports:late:{report.pk}:{today.isoformat()}")
    return sent
