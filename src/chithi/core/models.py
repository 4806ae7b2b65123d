"""Shared models: the user, the audit log, in-app notifications and the base for attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import Action, RestrictedQuerySet, path_q, read_action, scope_paths, stricter_read_models


class User(AbstractUser):
    """A login. What it may see comes from its role assignments (orgs.RoleAssignment)."""

    person = models.OneToOneField(
        "orgs.Person", verbose_name=_("person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )
    # Set by an administrator who creates the account (or resets it): the first sign-in leads to the password
    # change page and nowhere else until the user has chosen their own (core.middleware).
    must_change_password = models.BooleanField(_("must change the password at the next sign-in"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def display_name(self) -> str:
        if self.person_id:
            return str(self.person)
        return self.get_full_name() or self.username


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")
    MERGE = "merge", _("merged")
    SPLIT = "split", _("split")
    MOVE = "move", _("moved")


class AuditEntryQuerySet(RestrictedQuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log cannot be edited")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be edited")

    def _raw_delete(self, using: Any) -> int:
        # The collector's fast path for cascades would otherwise delete rows without calling delete().
        raise PermissionError("The audit log cannot be edited")

    def restrict(self, user: Any, action: Action | str = Action.VIEW) -> AuditEntryQuerySet:
        """As every scoped model (the entry's org_path), and an entry of a model that needs more than VIEW to read
        (core.permissions.read_action) only where the user holds that action too."""
        entries: AuditEntryQuerySet = super().restrict(user, action)  # type: ignore[assignment]
        for model in stricter_read_models():
            paths = scope_paths(user, read_action(model))
            if paths is None:
                continue
            # Named through the join, not by ContentType id: no lookup query on a cold content-type cache.
            kind = models.Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
            entries = entries.exclude(kind & ~path_q("org_path", paths) if paths else kind)
        return entries

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        """The object's own entries and those of changes elsewhere that name it as related."""
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        key = str(obj.pk)
        return self.filter(models.Q(content_type=content_type, object_id=key)
                           | models.Q(related_type=content_type, related_id=key))


class AuditEntry(models.Model):
    """One write: who, when, the request id, and the object's state before and after (JSON).

    Rows are append-only: save() refuses updates and delete() refuses, so nothing in the
    product (UI, API, admin) can rewrite the history.
    """

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    # The organisation path the object belonged to, so a scoped user can read their subtree's log.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Another object whose history also shows this change (a cascade on its source plan, a merger on the
    # retired unit, a referral on the unit that referred).
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    related_id = models.CharField(max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()
    scope_path_field = "org_path"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-timestamp"]),
                   models.Index(fields=["related_type", "related_id"], name="audit_related")]

    def __str__(self) -> str:
        return f"{self.timestamp:%d/%m/%Y %H:%M} {self.user_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be edited")

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for the fields that differ."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Notification(models.Model):
    """An in-app notice; the same call may also send an e-mail (core.notify)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Lets a sender make a notice idempotent ("once per task per stage").
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AttachmentBase(TimeStampedModel):
    """A stored file; rooms subclass it with a foreign key to what it is attached to."""

    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class SeedRecord(models.Model):
    """Which demo seeders have run, so `make demo` twice adds only what a new room brings."""

    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
