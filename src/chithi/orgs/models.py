"""Organisations (a tree with a materialised path), people, memberships, roles and restructurings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chithi.core.models import TimeStampedModel
from chithi.core.permissions import RestrictedQuerySet, Role, path_q
from chithi.core.search import SearchIndexed

PATH_STEP = 8  # digits per tree level: "00000001/00000042/"


class OrgKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    DEPARTMENT = "department", _("Department of the committee")
    WORKING_GROUP = "working_group", _("Working group")
    WARD_COMMITTEE = "ward_committee", _("Ward party committee")
    PARTY_CELL = "party_cell", _("Party cell")
    GOVERNMENT = "government", _("Government body")
    AGENCY = "agency", _("Agency")
    MASS_ORG = "mass_org", _("Mass organisation")
    SCHOOL = "school", _("School")


# Which kinds may stand directly under a unit of each kind: testers had a party cell's secretary create a ward party
# committee under the cell. A party committee (province, city) holds every kind; a ward committee what belongs to a
# ward; a body outside the party's committees (government, agency, mass organisation) only its own sub-bodies, party
# cells and groups, never a committee of the party; a committee's department and a school only cells and groups; a
# party cell only its party groups (tổ đảng, recorded as cells); a working group nothing. Mergers and moves follow
# the same table (services.organisations.kind_problem). A top-level unit may be of any kind.
_CELLS_AND_GROUPS = frozenset({OrgKind.PARTY_CELL, OrgKind.WORKING_GROUP})
CHILD_KINDS: dict[str, frozenset[str]] = {
    OrgKind.PARTY_COMMITTEE: frozenset(OrgKind.values),
    OrgKind.WARD_COMMITTEE: frozenset(OrgKind.values) - {OrgKind.PARTY_COMMITTEE, OrgKind.WARD_COMMITTEE},
    OrgKind.DEPARTMENT: _CELLS_AND_GROUPS,
    OrgKind.WORKING_GROUP: frozenset(),
    OrgKind.PARTY_CELL: frozenset({OrgKind.PARTY_CELL}),
    OrgKind.GOVERNMENT: _CELLS_AND_GROUPS | {OrgKind.AGENCY, OrgKind.SCHOOL},
    OrgKind.AGENCY: _CELLS_AND_GROUPS | {OrgKind.AGENCY, OrgKind.SCHOOL},
    OrgKind.MASS_ORG: _CELLS_AND_GROUPS | {OrgKind.MASS_ORG},
    OrgKind.SCHOOL: _CELLS_AND_GROUPS,
}


def child_kinds(parent_kind: str | None) -> list[str]:
    """The kinds a unit of `parent_kind` may have directly under it (every kind at the top), in OrgKind's order."""
    allowed = CHILD_KINDS.get(parent_kind, frozenset()) if parent_kind is not None else frozenset(OrgKind.values)
    return [kind for kind in OrgKind.values if kind in allowed]


class OrganisationQuerySet(RestrictedQuerySet["Organisation"]):
    def active_on(self, day: dt.date) -> OrganisationQuerySet:
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=day),
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day),
        )

    def active(self) -> OrganisationQuerySet:
        return self.filter(dissolved_on__isnull=True)

    def subtree_of(self, org: Organisation) -> OrganisationQuerySet:
        return self.filter(path__startswith=org.path)


class Organisation(SearchIndexed, TimeStampedModel):
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"), max_length=40, blank=True,
        help_text=_("Administrative division code or internal code."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # Materialised path: the subtree is one indexed prefix filter, never a recursive query.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    residential = models.BooleanField(
        _("residential area"), default=False, help_text=_("A party cell of a residential area.")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("ceased on"), null=True, blank=True,
        help_text=_("The first day the unit no longer existed (merged, split or dissolved)."),
    )
    successor = models.ForeignKey(
        "self", verbose_name=_("successor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="predecessors",
    )
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("name", "short_name", "code")
    sort_key = models.CharField(max_length=600, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()
    scope_path_field = "path"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "sort_key"]),
            models.Index(fields=["kind"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:org_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and each ancestor, root first."""
        return [self.path[: i + PATH_STEP + 1] for i in range(0, len(self.path), PATH_STEP + 1)]


class OrgParentPeriod(models.Model):
    """Under which parent a unit stood, and when: the tree on a past date is drawn from this."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="parent_periods")
    parent = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "since"]
        indexes = [models.Index(fields=["organisation", "since"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} ⊂ {self.parent_id} [{self.since}, {self.until})"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PersonQuerySet(RestrictedQuerySet["Person"]):
    def current_in(self, org: Organisation) -> PersonQuerySet:
        return self.filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), organisation=org, until__isnull=True))
        )


class Person(SearchIndexed, TimeStampedModel):
    """A cadre or party member. Visible to whoever's scope covers one of their memberships."""

    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)
    party_joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.TextField(_("note"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    search_fields = ("full_name", "phone", "email")
    sort_key = models.CharField(max_length=600, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("orgs:person_detail", args=[self.pk])

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return Q(Exists(Membership.objects.filter(path_q("organisation__path", paths), person=OuterRef("pk"))))

    def current_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(until__isnull=True).select_related("organisation")


class Membership(TimeStampedModel):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="memberships")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="memberships")
    position = models.CharField(_("position"), max_length=120, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-until", "since", "id"]
        indexes = [models.Index(fields=["organisation", "until"]), models.Index(fields=["person", "until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position} — {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.until is None


class RoleAssignment(TimeStampedModel):
    """A user's role on an organisation; it covers the whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="role_assignments")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    objects = RestrictedQuerySet.as_manager()
    scope_path_field = "organisation__path"

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_role_per_org")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class RestructuringKind(models.TextChoices):
    MERGE = "merge", _("Merger")
    SPLIT = "split", _("Split")


class RestructuringEvent(TimeStampedModel):
    """A merger (many → one) or a split (one → many), kept so history can be read afterwards."""

    kind = models.CharField(_("kind"), max_length=8, choices=RestructuringKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(_("decision"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(Organisation, related_name="restructured_from", verbose_name=_("from"))
    results = models.ManyToManyField(Organisation, related_name="restructured_into", verbose_name=_("into"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"

    @staticmethod
    def scope_q(paths: list[str]) -> Q:
        return Q(
            Exists(Organisation.objects.filter(path_q("path", paths), restructured_from=OuterRef("pk")))
        ) | Q(Exists(Organisation.objects.filter(path_q("path", paths), restructured_into=OuterRef("pk"))))
