"""Writes for practices: registration, indicators and results, replication, commendations, photos,
documents and evidence links.

Each function takes keyword arguments, checks the actor's scope, validates, writes and audits inside one
transaction, and refuses with a ValidationError naming the field and the reason.
"""

from __future__ import annotations

import datetime as dt
import decimal
import mimetypes
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.permissions import Action, allowed_on_path, restrict
from chithi.core.text import fold, vi_sort_key
from chithi.core.uploads import clean_document, clean_image, is_image_name
from chithi.orgs.models import Organisation, Person

from .models import (
    LINEAGE_STEP,
    Commendation,
    CommendationLevel,
    EvidenceLink,
    Indicator,
    Practice,
    PracticeDocument,
    PracticeField,
    PracticePhoto,
    PracticeStatus,
    Replication,
    Result,
)


class DuplicatePractice(ValidationError):
    """The unit already registered a practice of that name; `existing` is it, so forms can link to it."""

    def __init__(self, existing: Practice) -> None:
        self.existing = existing
        super().__init__({"name": _("%(unit)s already registered the practice “%(name)s”. Open the existing one "
                                    "instead of registering it twice.")
                          % {"unit": existing.organisation.name, "name": existing.name}})


def _require(actor: Any, action: Action, path: str) -> None:
    if not allowed_on_path(actor, action, path):
        raise PermissionDenied(_("You do not have permission for this unit."))


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- practices ------------------------------------------------------------------------------------

_EDITABLE = {"name", "fields", "description", "started_on", "status", "is_public", "public_names"}


def _normalise_fields(fields: Iterable[str] | str) -> str:
    values = [f.strip() for f in (fields.split(",") if isinstance(fields, str) else fields) if f and f.strip()]
    unknown = [f for f in values if f not in PracticeField.values]
    if unknown:
        raise ValidationError({"fields": _("Unknown field: %(value)s.") % {"value": ", ".join(unknown)}})
    if not values:
        raise ValidationError({"fields": _("Choose at least one field.")})
    ordered = [f for f in PracticeField.values if f in values]  # a stable order, duplicates gone
    return "," + ",".join(ordered) + ","


def _refresh_derived(practice: Practice) -> None:
    practice.name = " ".join(practice.name.split())
    practice.name_key = fold(practice.name)
    practice.sort_key = vi_sort_key(practice.name)


def _validate_practice(practice: Practice) -> None:
    errors: dict[str, str] = {}
    if not practice.name.strip():
        errors["name"] = _("The name is required.")
    elif len(practice.name) > 255:
        errors["name"] = _("At most %(n)d characters.") % {"n": 255}
    if practice.status not in PracticeStatus.values:
        errors["status"] = _("Unknown status.")
    if practice.started_on is None:
        errors["started_on"] = _("The start date is required.")
    elif practice.started_on > dt.date.today():
        errors["started_on"] = _("The start date cannot be in the future.")
    org = practice.organisation
    if org.established_on and practice.started_on and practice.started_on < org.established_on:
        errors["started_on"] = _("%(unit)s was established on %(date)s; a practice cannot start before it.") % {
            "unit": org.name, "date": _fmt(org.established_on)}
    if errors:
        raise ValidationError(errors)


def _check_duplicate(practice: Practice) -> None:
    existing = (Practice.objects.filter(organisation_id=practice.organisation_id, name_key=practice.name_key)
                .exclude(pk=practice.pk).select_related("organisation").first())
    if existing is not None:
        raise DuplicatePractice(existing)


def find_duplicate(*, organisation: Organisation, name: str) -> Practice | None:
    return Practice.objects.filter(organisation=organisation, name_key=fold(" ".join(name.split()))).first()


def _lineage_pks(path: str, *, include_self: bool) -> list[int]:
    """Primary keys along a lineage path, origin first (the path is made of them)."""
    pks = [int(segment) for segment in path.strip("/").split("/") if segment.isdigit()]
    return pks if include_self else pks[:-1]


def _refresh_reach(pks: Iterable[int]) -> None:
    """Recount `reach` for these practices (the ancestors of whatever changed in a lineage): one count
    each over the indexed lineage prefix, so a write costs the depth of the tree, not its size."""
    from .selectors import count_reach

    for practice in Practice.objects.filter(pk__in=set(pks)):
        value = count_reach(practice)
        if value != practice.reach:
            Practice.objects.filter(pk=practice.pk).update(reach=value)
            practice.reach = value


def _insert_with_lineage(practice: Practice, parent: Practice | None) -> None:
    """The lineage path needs the primary key: insert with a unique placeholder, then set it."""
    practice.lineage_path = f"tmp-{id(practice)}-{dt.datetime.now().timestamp()}"
    practice.lineage_depth = parent.lineage_depth + 1 if parent else 0
    try:
        with transaction.atomic():
            practice.save()
    except IntegrityError:
        # A concurrent registration of the same name in the same unit won the race: say so, not a 500.
        _check_duplicate(practice)
        raise
    practice.lineage_path = f"{parent.lineage_path if parent else ''}{practice.pk:0{LINEAGE_STEP}d}/"
    practice.save(update_fields=["lineage_path"])


@transaction.atomic
def register_practice(
    *, actor: Any, name: str, organisation: Organisation, fields: Iterable[str] | str, started_on: dt.date,
    description: str = "", status: str = PracticeStatus.RUNNING, is_public: bool = False, public_names: str = "",
    audit_action: str = AuditAction.CREATE,
) -> Practice:
    _require(actor, Action.ADD, organisation.path)
    if not organisation.is_active:
        raise ValidationError({"organisation": _("%(unit)s no longer exists; choose its successor.")
                               % {"unit": organisation.name}})
    practice = Practice(
        name=name, organisation=organisation, fields=_normalise_fields(fields), description=description.strip(),
        started_on=started_on, status=status, is_public=is_public, public_names=public_names.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _refresh_derived(practice)
    _validate_practice(practice)
    _check_duplicate(practice)
    _insert_with_lineage(practice, None)
    audit.record(action=audit_action, obj=practice, after=audit.snapshot(practice), actor=actor)
    return practice


@transaction.atomic
def update_practice(*, actor: Any, practice: Practice, **changes: Any) -> Practice:
    _require(actor, Action.CHANGE, practice.organisation.path)
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    practice = Practice.objects.select_for_update().select_related("organisation").get(pk=practice.pk)
    before = audit.snapshot(practice)
    if "fields" in changes:
        changes["fields"] = _normalise_fields(changes["fields"])
    for name, value in changes.items():
        setattr(practice, name, value.strip() if isinstance(value, str) and name != "fields" else value)
    _refresh_derived(practice)
    _validate_practice(practice)
    _check_duplicate(practice)
    first = Result.objects.filter(indicator__practice=practice).order_by("period_end").first()
    if first is not None and first.period_end < practice.started_on:
        raise ValidationError({"started_on": _("Results are recorded from %(date)s; the practice must start by "
                                               "then.") % {"date": _fmt(first.period_end)}})
    practice.save()
    if before and before.get("status") != practice.status:
        _refresh_reach(_lineage_pks(practice.lineage_path, include_self=False))  # a stopped replication stops counting
    audit.record(action=AuditAction.UPDATE, obj=practice, before=before, after=audit.snapshot(practice), actor=actor)
    return practice


@transaction.atomic
def move_practices_to_successor(*, source: Organisation, successor: Organisation, effective_on: dt.date,
                                actor: Any) -> None:
    """Restructuring hook: practices still running in a merged or split unit carry on in its successor.
    Stopped ones stay with the old unit, where their history belongs."""
    for practice in Practice.objects.filter(organisation=source).exclude(status=PracticeStatus.STOPPED):
        before = audit.snapshot(practice)
        clash = Practice.objects.filter(organisation=successor, name_key=practice.name_key).exists()
        if clash:
            # The successor already runs a practice of that name (often the same one): keep both readable.
            practice.name = f"{practice.name} ({source.short_name or source.name})"
        practice.organisation = successor
        _refresh_derived(practice)
        practice.save()
        _refresh_reach(_lineage_pks(practice.lineage_path, include_self=True))
        audit.record(action=AuditAction.MOVE, obj=practice, before=before, after=audit.snapshot(practice),
                     actor=actor, note=_("moved from %(org)s") % {"org": source.name})


# --- indicators and results --------------------------------------------------------------------------


def _decimal(value: Any, field: str) -> decimal.Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = decimal.Decimal(str(value).replace(" ", ""))
    except (decimal.InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or abs(number) >= decimal.Decimal("1e14"):
        raise ValidationError({field: _("Enter a number.")})
    return number


@transaction.atomic
def add_indicator(*, actor: Any, practice: Practice, name: str, unit: str = "", target: Any = None) -> Indicator:
    _require(actor, Action.CHANGE, practice.organisation.path)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("The indicator needs a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("At most %(n)d characters.") % {"n": 200}})
    target_value = _decimal(target, "target")
    if target_value is not None and target_value <= 0:
        raise ValidationError({"target": _("The target must be greater than zero.")})
    if any(fold(n) == fold(name) for n in practice.indicators.values_list("name", flat=True)):
        raise ValidationError({"name": _("This practice already has the indicator “%(name)s”.") % {"name": name}})
    indicator = Indicator.objects.create(practice=practice, name=name, unit=unit.strip()[:40], target=target_value,
                                         position=practice.indicators.count())
    audit.record(action=AuditAction.CREATE, obj=indicator, after=audit.snapshot(indicator), actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    return indicator


@transaction.atomic
def record_result(
    *, actor: Any, indicator: Indicator, period_start: dt.date, period_end: dt.date, actual: Any,
    period_label: str = "", note: str = "",
) -> Result:
    """Record (or correct) the figure of one indicator for one period."""
    practice = indicator.practice
    _require(actor, Action.CHANGE, practice.organisation.path)
    errors: dict[str, str] = {}
    value = _decimal(actual, "actual")
    if value is None:
        errors["actual"] = _("Enter the actual figure.")
    elif value < 0:
        errors["actual"] = _("The actual figure cannot be negative.")
    if period_start is None:
        errors["period_start"] = _("The period start is required.")
    if period_end is None:
        errors["period_end"] = _("The period end is required.")
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = _("The period must end on or after its start.")
        elif period_end < practice.started_on:
            errors["period_start"] = _("The practice started on %(date)s; a period ending before that cannot "
                                       "have results.") % {"date": _fmt(practice.started_on)}
        elif period_start > dt.date.today():
            errors["period_start"] = _("The period has not started yet.")
    if errors:
        raise ValidationError(errors)
    assert value is not None  # refused above otherwise
    label = " ".join(period_label.split())[:60] or f"{_fmt(period_start)} – {_fmt(period_end)}"
    existing = Result.objects.select_for_update().filter(indicator=indicator, period_start=period_start,
                                                         period_end=period_end).first()
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    if existing is not None:
        before = audit.snapshot(existing)
        existing.actual = value  # type: ignore[assignment]
        existing.period_label = label
        existing.note = note.strip()[:500]
        existing.recorded_by = recorder
        existing.save()
        audit.record(action=AuditAction.UPDATE, obj=existing, before=before, after=audit.snapshot(existing),
                     actor=actor, org_path=practice.organisation.path, note=str(practice))
        return existing
    overlapping = Result.objects.filter(indicator=indicator, period_start__lte=period_end,
                                        period_end__gte=period_start).first()
    if overlapping is not None:
        message = _("This period overlaps the recorded period %(label)s; correct that one or choose another period.")
        raise ValidationError({"period_start": message % {"label": overlapping.period_label}})
    result = Result.objects.create(indicator=indicator, period_start=period_start, period_end=period_end,
                                   period_label=label, actual=value, note=note.strip()[:500], recorded_by=recorder)
    audit.record(action=AuditAction.CREATE, obj=result, after=audit.snapshot(result), actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    return result


@transaction.atomic
def record_period_results(
    *, actor: Any, practice: Practice, period_start: dt.date, period_end: dt.date, values: dict[int, Any],
    period_label: str = "", note: str = "",
) -> list[Result]:
    """A unit's report for one period: a figure per indicator (by indicator id), all recorded or none.
    An error on a figure is named after that indicator's field, `actual_<id>`."""
    indicators = {i.pk: i for i in practice.indicators.all()}
    unknown = [pk for pk in values if pk not in indicators]
    if unknown:
        raise ValidationError({"values": _("Unknown indicator.")})
    if not any(v not in (None, "") for v in values.values()):
        raise ValidationError({"values": _("Enter at least one figure.")})
    results = []
    for pk, value in values.items():
        if value in (None, ""):
            continue
        try:
            results.append(record_result(actor=actor, indicator=indicators[pk], period_start=period_start,
                                         period_end=period_end, actual=value, period_label=period_label, note=note))
        except ValidationError as exc:
            errors = exc.message_dict
            if "actual" in errors:
                errors[f"actual_{pk}"] = errors.pop("actual")
            raise ValidationError(errors) from exc
    return results


# --- replication ---------------------------------------------------------------------------------


def _check_replication(origin: Practice, adopting_org: Organisation) -> None:
    if origin.status == PracticeStatus.STOPPED:
        raise ValidationError({"origin": _("“%(name)s” has stopped; it cannot be replicated.") % {"name": origin}})
    if adopting_org.pk == origin.organisation_id:
        raise ValidationError({"organisation": _("%(unit)s owns this practice; a unit cannot replicate its own "
                                                 "practice.") % {"unit": adopting_org.name}})
    if not adopting_org.is_active:
        raise ValidationError({"organisation": _("%(unit)s no longer exists; choose its successor.")
                               % {"unit": adopting_org.name}})


def _mark_replicated(actor: Any, origin: Practice) -> None:
    if origin.status in (PracticeStatus.PILOTING, PracticeStatus.RUNNING):
        before = audit.snapshot(origin)
        origin.status = PracticeStatus.REPLICATED
        origin.save(update_fields=["status", "updated_at"])
        audit.record(action=AuditAction.UPDATE, obj=origin, before=before, after=audit.snapshot(origin),
                     actor=actor, note=_("replicated"))


@transaction.atomic
def replicate_practice(
    *, actor: Any, origin: Practice, organisation: Organisation, adopted_on: dt.date, adaptation_notes: str = "",
    name: str = "", is_public: bool | None = None,
) -> Replication:
    """Another unit adopts the practice: it gets a practice of its own, linked to its origin."""
    _require(actor, Action.VIEW, origin.organisation.path)
    _require(actor, Action.ADD, organisation.path)
    # Decide on the row as it is now (locked), not on what the caller loaded earlier.
    origin = Practice.objects.select_for_update().select_related("organisation").get(pk=origin.pk)
    _check_replication(origin, organisation)
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("The adoption date is required.")})
    if adopted_on < origin.started_on:
        raise ValidationError({"adopted_on": _("The origin started on %(date)s; it cannot be adopted earlier.")
                               % {"date": _fmt(origin.started_on)}})
    if adopted_on > dt.date.today():
        raise ValidationError({"adopted_on": _("The adoption date cannot be in the future.")})
    adopting = Practice(
        name=name.strip() or origin.name, organisation=organisation, fields=origin.fields,
        description=origin.description, started_on=adopted_on, status=PracticeStatus.RUNNING,
        is_public=origin.is_public if is_public is None else is_public,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _refresh_derived(adopting)
    _validate_practice(adopting)
    existing = find_duplicate(organisation=organisation, name=adopting.name)
    if existing is not None:
        raise ValidationError({"organisation": _("%(unit)s already runs a practice named “%(name)s”; link that one "
                                                 "as the replication instead.")
                               % {"unit": organisation.name, "name": existing.name}})
    _insert_with_lineage(adopting, origin)
    replication = Replication.objects.create(origin=origin, adopting=adopting, adopted_on=adopted_on,
                                             adaptation_notes=adaptation_notes.strip())
    _refresh_reach(_lineage_pks(adopting.lineage_path, include_self=False))
    audit.record(action=AuditAction.CREATE, obj=adopting, after=audit.snapshot(adopting), actor=actor,
                 note=_("replication of %(name)s (%(unit)s)") % {"name": origin.name,
                                                                 "unit": origin.organisation.name})
    audit.record(action=AuditAction.CREATE, obj=replication, after=audit.snapshot(replication), actor=actor,
                 org_path=origin.organisation.path)
    _mark_replicated(actor, origin)
    return replication


@transaction.atomic
def link_replication(
    *, actor: Any, origin: Practice, adopting: Practice, adopted_on: dt.date, adaptation_notes: str = "",
) -> Replication:
    """Record that an already registered practice of another unit replicates `origin`; its own replications
    move with it in the tree."""
    _require(actor, Action.VIEW, origin.organisation.path)
    _require(actor, Action.CHANGE, adopting.organisation.path)
    origin = Practice.objects.select_for_update().select_related("organisation").get(pk=origin.pk)
    adopting = Practice.objects.select_for_update().select_related("organisation").get(pk=adopting.pk)
    if origin.pk == adopting.pk:
        raise ValidationError({"adopting": _("A practice cannot be a replication of itself.")})
    _check_replication(origin, adopting.organisation)
    if Replication.objects.filter(adopting=adopting).exists():
        raise ValidationError({"adopting": _("“%(name)s” is already recorded as a replication of another practice.")
                               % {"name": adopting.name}})
    if origin.lineage_path.startswith(adopting.lineage_path):
        raise ValidationError({"adopting": _("“%(origin)s” already descends from “%(adopting)s”: this link would "
                                             "make a cycle.") % {"origin": origin.name, "adopting": adopting.name}})
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("The adoption date is required.")})
    if adopted_on < origin.started_on:
        raise ValidationError({"adopted_on": _("The origin started on %(date)s; it cannot be adopted earlier.")
                               % {"date": _fmt(origin.started_on)}})
    before = audit.snapshot(adopting)
    old_prefix = adopting.lineage_path
    new_prefix = f"{origin.lineage_path}{adopting.pk:0{LINEAGE_STEP}d}/"
    depth_delta = origin.lineage_depth + 1 - adopting.lineage_depth
    # One UPDATE moves the adopting practice and everything replicated from it.
    Practice.objects.filter(lineage_path__startswith=old_prefix).update(
        lineage_path=Concat(Value(new_prefix), Substr("lineage_path", len(old_prefix) + 1)),
        lineage_depth=F("lineage_depth") + depth_delta,
    )
    adopting.refresh_from_db()
    replication = Replication.objects.create(origin=origin, adopting=adopting, adopted_on=adopted_on,
                                             adaptation_notes=adaptation_notes.strip())
    _refresh_reach(_lineage_pks(adopting.lineage_path, include_self=False))
    audit.record(action=AuditAction.UPDATE, obj=adopting, before=before, after=audit.snapshot(adopting),
                 actor=actor, note=_("linked as a replication of %(name)s") % {"name": origin.name})
    audit.record(action=AuditAction.CREATE, obj=replication, after=audit.snapshot(replication), actor=actor,
                 org_path=origin.organisation.path)
    _mark_replicated(actor, origin)
    return replication


# --- commendations ---------------------------------------------------------------------------------


@transaction.atomic
def add_commendation(
    *, actor: Any, practice: Practice, title: str, level: str, awarded_on: dt.date, decision_number: str,
    issuer: str = "", person: Person | None = None,
) -> Commendation:
    _require(actor, Action.CHANGE, practice.organisation.path)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Name the form of commendation.")
    if level not in CommendationLevel.values:
        errors["level"] = _("Unknown level.")
    if not decision_number.strip():
        errors["decision_number"] = _("The decision number is required.")
    if awarded_on is None:
        errors["awarded_on"] = _("The date is required.")
    elif awarded_on > dt.date.today():
        errors["awarded_on"] = _("The date cannot be in the future.")
    elif awarded_on < practice.started_on:
        errors["awarded_on"] = _("The practice started on %(date)s; it cannot be commended before.") % {
            "date": _fmt(practice.started_on)}
    if person is not None and not restrict(Person.objects.filter(pk=person.pk), actor, Action.VIEW).exists():
        errors["person"] = _("This person is not in your units.")
    if errors:
        raise ValidationError(errors)
    commendation = Commendation.objects.create(
        practice=practice, person=person, title=title.strip()[:200], level=level, awarded_on=awarded_on,
        decision_number=decision_number.strip()[:100], issuer=issuer.strip()[:200])
    audit.record(action=AuditAction.CREATE, obj=commendation, after=audit.snapshot(commendation), actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    return commendation


# --- photos, documents -------------------------------------------------------------------------------


@transaction.atomic
def add_photo(*, actor: Any, practice: Practice, upload: UploadedFile, caption: str = "",
              is_public: bool = True) -> PracticePhoto:
    """The image is decoded and re-encoded (EXIF, GPS and every other metadata dropped) before storing."""
    _require(actor, Action.CHANGE, practice.organisation.path)
    try:
        cleaned = clean_image(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    stored_name = cleaned.name or "image.jpg"
    photo = PracticePhoto(practice=practice, caption=caption.strip()[:300], is_public=is_public,
                          original_name=(upload.name or "")[:255],
                          content_type="image/png" if stored_name.endswith(".png") else "image/jpeg", size=cleaned.size,
                          uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    photo.file.save(stored_name, cleaned, save=False)
    photo.save()
    audit.record(action=AuditAction.CREATE, obj=photo, after=audit.snapshot(photo), actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    return photo


@transaction.atomic
def add_document(*, actor: Any, practice: Practice, upload: UploadedFile, title: str = "",
                 is_public: bool = False) -> PracticeDocument:
    _require(actor, Action.CHANGE, practice.organisation.path)
    if is_image_name(upload.name or ""):
        raise ValidationError({"file": _("Add pictures as photos; documents are PDF, Word, Excel or text.")})
    try:
        cleaned = clean_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = PracticeDocument(practice=practice, title=(title.strip() or cleaned.name or "")[:300],
                                is_public=is_public, original_name=(cleaned.name or "")[:255],
                                # From the checked extension, never from what the client claimed.
                                content_type=mimetypes.guess_type(cleaned.name or "")[0] or "application/octet-stream",
                                size=cleaned.size or 0,
                                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    document.file.save(cleaned.name or "document", cleaned, save=False)
    document.save()
    audit.record(action=AuditAction.CREATE, obj=document, after=audit.snapshot(document), actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    return document


@transaction.atomic
def delete_attachment(*, actor: Any, attachment: PracticePhoto | PracticeDocument) -> None:
    practice = attachment.practice
    _require(actor, Action.CHANGE, practice.organisation.path)
    before = audit.snapshot(attachment)
    audit.record(action=AuditAction.DELETE, obj=attachment, before=before, actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name) if name else None)


# --- evidence --------------------------------------------------------------------------------------


@transaction.atomic
def link_evidence(*, actor: Any, practice: Practice, target: models.Model, note: str = "") -> EvidenceLink:
    """Offer a practice as evidence for another record (a plan task…). The actor must be able to change the
    practice and to see the target, when the target's model is scoped."""
    from django.contrib.contenttypes.models import ContentType

    _require(actor, Action.CHANGE, practice.organisation.path)
    manager = type(target)._default_manager
    if hasattr(manager.all(), "restrict") and not restrict(manager.filter(pk=target.pk), actor,
                                                           Action.VIEW).exists():
        raise PermissionDenied(_("You do not have permission for this record."))
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    if EvidenceLink.objects.filter(practice=practice, target_type=content_type, target_id=target.pk).exists():
        raise ValidationError({"target": _("This practice is already linked to that record.")})
    link = EvidenceLink.objects.create(practice=practice, target_type=content_type, target_id=target.pk,
                                       note=note.strip()[:500],
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(action=AuditAction.CREATE, obj=link, after=audit.snapshot(link), actor=actor,
                 org_path=practice.organisation.path, note=str(practice))
    return link


@transaction.atomic
def unlink_evidence(*, actor: Any, link: EvidenceLink) -> None:
    _require(actor, Action.CHANGE, link.practice.organisation.path)
    audit.record(action=AuditAction.DELETE, obj=link, before=audit.snapshot(link), actor=actor,
                 org_path=link.practice.organisation.path)
    link.delete()
