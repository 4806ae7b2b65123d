"""Factories for organisations, people, memberships and users. Units and people are made through the services,
so test data carries the same derived columns (path, sort key, search text) as real data; the other factories
write bare rows, for tests that need a row without its service's checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from chithi.core.models import User
from chithi.core.permissions import Role
from chithi.orgs import services
from chithi.orgs.models import (
    Membership,
    Organisation,
    OrgKind,
    OrgParentPeriod,
    Person,
    RestructuringEvent,
    RoleAssignment,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def superuser() -> User:
    """The actor the factories write as; made once (re-making it would change its password hash)."""
    existing = User.objects.filter(username="root-admin").first()
    return existing or UserFactory(username="root-admin", is_superuser=True, is_staff=True)


class OrganisationFactory(factory.Factory):
    """Builds through services.create_organisation (the path needs the primary key)."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = OrgKind.PARTY_CELL
    parent = None
    code = ""
    residential = False
    established_on = dt.date(2010, 1, 1)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Organisation:
        return services.create_organisation(actor=superuser(), **kwargs)


class PersonFactory(factory.Factory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Đảng viên"
    since = dt.date(2015, 1, 1)
    is_party_member = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Person:
        return services.create_person(actor=superuser(), **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Ủy viên"
    since = dt.date(2018, 1, 1)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SECRETARY


class RestructuringEventFactory(factory.django.DjangoModelFactory):
    """A bare record (merge_organisations/split_organisation make real ones with their effects)."""

    class Meta:
        model = RestructuringEvent

    kind = "merge"
    effective_on = dt.date(2025, 7, 1)
    decision = "NQ 1680/NQ-UBTVQH15"


class OrgParentPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgParentPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    parent = None
    since = dt.date(2010, 1, 1)
