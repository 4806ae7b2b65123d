"""How the URL walk (core.testing) reaches every page and API route of the orgs room in the test world."""

from __future__ import annotations

from typing import Any

from chithi.core.testing import Sample
from chithi.orgs.models import Membership, RoleAssignment


def _unit(world: Any) -> dict[str, Any]:
    return {"pk": world.cell_a1.pk}


def _person(world: Any) -> dict[str, Any]:
    return {"pk": world.person_a1.pk}


SAMPLES = {
    "orgs:org_detail": Sample(kwargs=_unit),
    "orgs:org_edit": Sample(kwargs=_unit),
    "orgs:org_history": Sample(kwargs=_unit),
    "orgs:org_split": Sample(kwargs=_unit),
    "orgs:org_roles": Sample(kwargs=_unit),
    "orgs:role_revoke": Sample(kwargs=lambda w: {"pk": RoleAssignment.objects.get(user=w.user("cell_secretary")).pk},
                               post_only=True),
    "orgs:person_detail": Sample(kwargs=_person),
    "orgs:person_edit": Sample(kwargs=_person),
    "orgs:person_history": Sample(kwargs=_person),
    "orgs:membership_add": Sample(kwargs=_person, post_only=True),
    "orgs:membership_end": Sample(kwargs=lambda w: {"pk": Membership.objects.get(person=w.person_a1).pk},
                                  post_only=True),
    "orgs:membership_correct": Sample(kwargs=lambda w: {"pk": Membership.objects.get(person=w.person_a1).pk}),
    "orgs:search": Sample(query="q=khu+pho"),
    "orgs:org_tree": Sample(query="ngay=2020-01-01"),
    "org-detail": Sample(kwargs=_unit),
    "person-detail": Sample(kwargs=_person),
    "person-import-xlsx": Sample(post_only=True),
}
