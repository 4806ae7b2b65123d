"""Writes for inspection and supervision: programmes and their items, cases from decision to closing, the
recommendations that become remedial work, and the escalation of overdue remedial work. Each step asks the
policy the pages and the API ask (policy.py), so nothing offered is then refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.campaigns.services.common import clean_upload
from chithi.core import audit
from chithi.core.notify import notify
from chithi.core.permissions import Action
from chithi.core.uploads import checked_content_type
from chithi.core.writes import acting_user, locked, model_update, require_active, save_new
from chithi.orgs.models import Organisation, Person
from chithi.orgs.selectors import users_with_role

from .. import policy, rules
from ..models import (
    REGISTER_OF,
    Case,
    CaseKind,
    CaseStatus,
    Programme,
    ProgrammeItem,
    Register,
    Remedy,
    RemedyStatus,
    SelfReportFile,
)
from .common import check_person_in, raise_if, require_on


def _check_target(inspecting: Organisation, target: Organisation, field: str) -> None:
    # A unit inspects its own subtree only (Quy định 296: the committee and its inspection commission inspect
    # the organisations and members under it).
    if not target.path.startswith(inspecting.path):
        raise ValidationError({field: _("%(unit)s is outside the scope of %(inspecting)s.") % {
            "unit": target.name, "inspecting": inspecting.name}})


@transaction.atomic
def create_programme(*, actor: Any, organisation: Organisation, year: int, title: str, number: str = "") -> Programme:
    require_on(actor, Action.ADD, organisation)
    require_active(organisation)
    raise_if(_programme_errors(organisation, year, title))
    return save_new(Programme(organisation=organisation, year=year, title=title.strip(), number=number.strip()),
                    actor=actor)


def _programme_errors(organisation: Organisation, year: int, title: str, pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("The title is required.")
    others = Programme.objects.filter(organisation=organisation, year=year)
    if (others.exclude(pk=pk) if pk is not None else others).exists():
        errors["year"] = _("%(unit)s already has a programme for %(year)s.") % {"unit": organisation.name,
                                                                               "year": year}
    return errors


@transaction.atomic
def update_programme(*, actor: Any, programme: Programme, year: int, title: str, number: str = "") -> Programme:
    programme = locked(programme)
    policy.PROGRAMME.check(actor, policy.EDIT, programme)
    raise_if(_programme_errors(programme.organisation, year, title, programme.pk))
    programme, _changed = model_update(instance=programme, actor=actor, fields=("year", "title", "number"),
                                       data={"year": year, "title": title.strip(), "number": number.strip()})
    return programme


@transaction.atomic
def add_item(*, actor: Any, programme: Programme, target_unit: Organisation, kind: str, content: str,
             quarter: int, target_person: Person | None = None) -> ProgrammeItem:
    policy.PROGRAMME.check(actor, policy.ADD_ITEM, programme)
    _check_item(programme, target_unit, target_person, kind, content, quarter)
    item = ProgrammeItem(programme=programme, target_unit=target_unit, target_person=target_person, kind=kind,
                         content=content.strip(), quarter=quarter)
    return save_new(item, actor=actor, related=programme)


def _check_item(programme: Programme, target_unit: Organisation, target_person: Person | None, kind: str,
                content: str, quarter: int) -> None:
    errors: dict[str, str] = {}
    if kind not in CaseKind.values:
        errors["kind"] = _("Unknown kind.")
    if not content.strip():
        errors["content"] = _("Say what is inspected.")
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("The quarter is 1 to 4.")
    raise_if(errors)
    _check_target(programme.organisation, target_unit, "target_unit")
    check_person_in(target_person, target_unit, "target_person")


@transaction.atomic
def update_item(*, actor: Any, item: ProgrammeItem, target_unit: Organisation, kind: str, content: str,
                quarter: int, target_person: Person | None = None) -> ProgrammeItem:
    """An item is edited until its case is opened (policy.ITEM); then the case carries its own record."""
    item = locked(item)
    policy.ITEM.check(actor, policy.EDIT, item)
    _check_item(item.programme, target_unit, target_person, kind, content, quarter)
    item, _changed = model_update(
        instance=item, actor=actor, related=item.programme,
        fields=("target_unit", "target_person", "kind", "content", "quarter"),
        data={"target_unit": target_unit, "target_person": target_person, "kind": kind,
              "content": content.strip(), "quarter": quarter})
    return item


@transaction.atomic
def open_case(
    *, actor: Any, inspecting: Organisation, inspected_unit: Organisation, kind: str, decision_number: str,
    decided_on: dt.date, signatory: str, subject: str, period_start: dt.date, period_end: dt.date,
    starts_on: dt.date, team: Iterable[Person] = (), inspected_person: Person | None = None,
    item: ProgrammeItem | None = None,
) -> Case:
    """The decision that opens a case: its number is unique in the unit's register of that type for the year."""
    require_on(actor, Action.ADD, inspecting)
    require_active(inspecting, "inspecting")  # the unit inspected may have ceased since; the one inspecting may not
    errors: dict[str, str] = {}
    if kind not in CaseKind.values:
        errors["kind"] = _("Unknown kind.")
    if item is not None and (item.programme.organisation_id != inspecting.pk or hasattr(item, "case")):
        errors["item"] = _("This programme item is not the inspecting unit's, or already has a case.")
    raise_if(errors)
    _check_target(inspecting, inspected_unit, "inspected_unit")
    case = Case(item=item, inspecting=inspecting, inspected_unit=inspected_unit, inspected_person=inspected_person,
                kind=kind, register=REGISTER_OF[CaseKind(kind)], year=decided_on.year,
                decision_number=decision_number.strip(), decided_on=decided_on, signatory=signatory.strip(),
                subject=subject.strip(), period_start=period_start, period_end=period_end, starts_on=starts_on,
                time_limit_days=rules.time_limit_days(inspecting.kind), created_by=acting_user(actor))
    _check_decision(case)
    team = _checked_team(team, inspecting)
    try:
        with transaction.atomic():
            save_new(case, actor=actor, related=inspected_unit)
    except IntegrityError as exc:  # the same number written at the same moment by someone else
        raise ValidationError({"decision_number": _("This decision number is already used.")}) from exc
    case.team.set(team)
    return case


def _check_decision(case: Case) -> None:
    """What the decision of a case must satisfy, opened or edited: the party format, its number once in the
    inspecting unit's register of that type for the year, a period in order, work starting after the decision."""
    errors: dict[str, str] = {}
    if not rules.decision_number_ok(case.decision_number):
        errors["decision_number"] = _("Write the decision number in the party format, e.g. 12-QĐ/ĐU.")
    if not case.signatory:
        errors["signatory"] = _("Who signed the decision?")
    if not case.subject:
        errors["subject"] = _("Say what is inspected.")
    if case.period_end < case.period_start:
        errors["period_end"] = _("The period under review ends before it starts.")
    if case.starts_on < case.decided_on:
        errors["starts_on"] = _("The work cannot start before the decision.")
    raise_if(errors)
    check_person_in(case.inspected_person, case.inspected_unit, "inspected_person")
    if Case.objects.filter(inspecting_id=case.inspecting_id, register=case.register, year=case.year,
                           decision_number=case.decision_number).exclude(pk=case.pk).exists():
        raise ValidationError({"decision_number": _(
            "Decision %(number)s is already used in the %(register)s register of %(unit)s for %(year)s.") % {
            "number": case.decision_number, "register": Register(case.register).label.lower(),
            "unit": case.inspecting.name, "year": case.year}})


def _checked_team(team: Iterable[Person], inspecting: Organisation) -> list[Person]:
    people = list(team)
    for person in people:
        check_person_in(person, inspecting, "team")
    return people


CASE_FIELDS = ("decision_number", "decided_on", "signatory", "subject", "inspected_person", "period_start",
               "period_end", "starts_on")


@transaction.atomic
def update_case(*, actor: Any, case: Case, **changes: Any) -> Case:
    """Edit the decision and the case's record while it is under way (policy.CASE, EDIT). The register and the
    year follow the decision; the time limit stays the level's setting and grows only by an extension."""
    case = locked(case)  # the step is decided on the row as it stands now
    policy.CASE.check(actor, policy.EDIT, case)
    team = changes.pop("team", None)
    for text in ("decision_number", "signatory", "subject"):
        if isinstance(changes.get(text), str):
            changes[text] = changes[text].strip()

    if changes.get("decided_on") is not None:
        changes["year"] = changes["decided_on"].year  # the register's term follows the decision's date
    try:
        with transaction.atomic():
            case, _changed = model_update(instance=case, data=changes, fields=(*CASE_FIELDS, "year"), actor=actor,
                                          validate=_check_decision)
    except IntegrityError as exc:  # the same number written at the same moment by someone else
        raise ValidationError({"decision_number": _("This decision number is already used.")}) from exc
    if team is not None:
        people = _checked_team(team, case.inspecting)
        before = sorted(p.full_name for p in case.team.all())
        after = sorted(p.full_name for p in people)
        if before != after:
            case.team.set(people)
            audit.record(action="update", obj=case, actor=actor, before={"team": before}, after={"team": after},
                         related=case.inspected_unit)
    return case


@transaction.atomic
def extend_case(*, actor: Any, case: Case, days: int, reason: str) -> Case:
    """Extend the time limit: at most a third of it in all (Quy định 296)."""
    case = locked(case)  # the step is decided on the row as it stands now
    policy.CASE.check(actor, policy.EXTEND, case)
    bound = rules.max_extension_days(case.time_limit_days)
    errors: dict[str, str] = {}
    if days <= 0:
        errors["days"] = _("Extend by at least one day.")
    elif case.extension_days + days > bound:
        errors["days"] = _("The time limit of %(limit)s days can be extended by at most %(bound)s days in all "
                           "(already %(used)s).") % {"limit": case.time_limit_days, "bound": bound,
                                                     "used": case.extension_days}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    raise_if(errors)
    case, _changed = model_update(instance=case, data={"extension_days": case.extension_days + days,
                                                       "extension_reason": reason.strip()[:500]},
                                  fields=("extension_days", "extension_reason"), actor=actor)
    return case


@transaction.atomic
def submit_self_report(*, actor: Any, case: Case, text: str = "", upload: UploadedFile | None = None) -> Case:
    """The inspected body's self-report: written in the product, uploaded as a file (a signed scan, a Word
    file), or both. The file goes through core.uploads' checks (types by their first bytes, size, images
    re-encoded without metadata); a refused file writes nothing, not even the text."""
    case = locked(case)  # the step is decided on the row as it stands now
    policy.CASE.check(actor, policy.SELF_REPORT, case)
    text = text.strip()
    if not text and upload is None and not (case.self_report or case.self_report_files.exists()):
        raise ValidationError({"text": _("Write the self-report or upload its file.")})
    if upload is not None:
        try:
            content, name = clean_upload(upload)
        except ValidationError as exc:  # named after this step's field (page form and API), not core's `file`
            raise ValidationError({"upload": exc.messages}) from exc
        attached = SelfReportFile(case=case, original_name=name, size=content.size or 0,
                                  # the type from the checked name, never the client's claim
                                  content_type=checked_content_type(content.name or name)[:100],
                                  uploaded_by=acting_user(actor))
        attached.file.save(content.name or name, content, save=False)
        save_new(attached, actor=actor, related=case)
    data: dict[str, Any] = {"self_report_on": timezone.localdate()}
    if text:
        data["self_report"] = text
    case, _changed = model_update(instance=case, data=data, fields=("self_report", "self_report_on"), actor=actor)
    return case


@transaction.atomic
def conclude_case(*, actor: Any, case: Case, findings: str, conclusions: str, concluded_on: dt.date) -> Case:
    case = locked(case)  # the step is decided on the row as it stands now
    policy.CASE.check(actor, policy.CONCLUDE, case)
    errors: dict[str, str] = {}
    if not findings.strip():
        errors["findings"] = _("Write the findings.")
    if not conclusions.strip():
        errors["conclusions"] = _("Write the conclusions.")
    if concluded_on < case.starts_on:
        errors["concluded_on"] = _("The conclusion cannot come before the work started.")
    raise_if(errors)
    case, _changed = model_update(
        instance=case, actor=actor,
        data={"findings": findings.strip(), "conclusions": conclusions.strip(), "concluded_on": concluded_on,
              "status": CaseStatus.CONCLUDED},
        fields=("findings", "conclusions", "concluded_on", "status"))
    return case


@transaction.atomic
def add_recommendation(*, actor: Any, case: Case, recommendation: str, deadline: dt.date,
                       owner_person: Person | None = None) -> Remedy:
    """A recommendation of the conclusions, and the remedial work it becomes in the inspected unit."""
    case = locked(case)  # the step is decided on the row as it stands now
    policy.CASE.check(actor, policy.RECOMMEND, case)
    errors: dict[str, str] = {}
    if not recommendation.strip():
        errors["recommendation"] = _("Write the recommendation.")
    if case.concluded_on and deadline < case.concluded_on:
        errors["deadline"] = _("The deadline cannot be before the conclusion (%(date)s).") % {
            "date": f"{case.concluded_on:%d/%m/%Y}"}
    raise_if(errors)
    check_person_in(owner_person, case.inspected_unit, "owner_person")
    remedy = Remedy(case=case, recommendation=recommendation.strip(), owner_unit=case.inspected_unit,
                    owner_person=owner_person, deadline=deadline)
    save_new(remedy, actor=actor, related=case)
    notify(users=users_with_role(case.inspected_unit, roles=["secretary"], upward=False),
           title=_("Remedial work after %(number)s") % {"number": case.decision_number},
           body=remedy.recommendation, url=reverse("oversight:case_detail", args=[case.pk]))
    return remedy


@transaction.atomic
def report_remedy(*, actor: Any, remedy: Remedy, report: str) -> Remedy:
    remedy = locked(remedy)
    policy.REMEDY.check(actor, policy.REPORT, remedy)
    if not report.strip():
        raise ValidationError({"report": _("Say what was done.")})
    remedy, _changed = model_update(
        instance=remedy, data={"report": report.strip(), "reported_on": timezone.localdate(),
                                       "status": RemedyStatus.REPORTED},
        fields=("report", "reported_on", "status"), actor=actor, related=remedy.case)
    return remedy


@transaction.atomic
def verify_remedy(*, actor: Any, remedy: Remedy, accept: bool = True) -> Remedy:
    """The inspecting unit checks the report: accepted closes the work (and the case with its last work),
    refused sends it back to the unit in charge."""
    remedy = locked(remedy)
    policy.REMEDY.check(actor, policy.VERIFY, remedy)
    data: dict[str, Any] = ({"status": RemedyStatus.VERIFIED, "verified_on": timezone.localdate(),
                             "verified_by": acting_user(actor)} if accept else {"status": RemedyStatus.OPEN})
    remedy, _changed = model_update(instance=remedy, data=data, fields=tuple(data), actor=actor,
                                    related=remedy.case)
    case = locked(remedy.case)
    if accept and not case.remedies.exclude(status=RemedyStatus.VERIFIED).exists():
        model_update(instance=case, data={"status": CaseStatus.CLOSED, "closed_on": timezone.localdate()},
                     fields=("status", "closed_on"), actor=actor)
    return remedy


def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Overdue remedial work goes up as overdue plan tasks do: the inspecting unit's secretaries and the level
    above the inspected unit are told once per item; the item is marked escalated."""
    today = today or timezone.localdate()
    count = 0
    for remedy in (Remedy.objects.overdue(today).filter(escalated_on__isnull=True)
                   .select_related("case__inspecting", "case__inspected_unit__parent")):
        with transaction.atomic():
            case = remedy.case
            users = users_with_role(case.inspecting, roles=["secretary", "admin"], upward=True)
            parent = case.inspected_unit.parent
            if parent is not None and parent.pk != case.inspecting_id:
                users += users_with_role(parent, roles=["secretary"], upward=True)
            notify(users=users, dedupe_key=f"oversight-remedy-{remedy.pk}",
                   title=_("Remedial work overdue: %(unit)s") % {"unit": case.inspected_unit.name},
                   body=remedy.recommendation, url=reverse("oversight:case_detail", args=[case.pk]))
            Remedy.objects.filter(pk=remedy.pk).update(escalated_on=today)
            audit.record(action="update", obj=remedy, note=_("escalated: overdue since %(date)s") % {
                "date": f"{remedy.deadline:%d/%m/%Y}"}, related=case)
            count += 1
    return count


@transaction.atomic
def pull_evidence(*, actor: Any, case: Case) -> Case:
    """Chỉ thị 05 implementation: the unit's plan progress, meetings, practices and issue figures for the
    period, into the case, so the team starts from facts."""
    from ..selectors.evidence import unit_figures

    case = locked(case)  # the step is decided on the row as it stands now
    policy.CASE.check(actor, policy.PULL_EVIDENCE, case)
    figures = unit_figures(case.inspected_unit, case.period_start, case.period_end)
    case, _changed = model_update(instance=case, data={"evidence": figures,
                                                               "evidence_pulled_at": timezone.now()},
                                  fields=("evidence", "evidence_pulled_at"), actor=actor)
    return case
