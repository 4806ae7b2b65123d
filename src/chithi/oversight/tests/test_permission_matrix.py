"""Who sees what of oversight (issue 12's new block): inspection cases and evaluations are never public and are
seen only by the authorised roles — every role that may export, not a plain viewer — of the inspecting or the
inspected unit; a unit elsewhere in the tree sees nothing (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chithi.core.testing import Row, check_row, matrix
from chithi.oversight.tests import factories
from chithi.oversight.tests.samples import sample

AUTHORISED_A = frozenset({"admin", "leader", "secretary", "staff", "cell_secretary"})  # ward A → cell A1
AUTHORISED_WARD_A = frozenset({"admin", "leader", "secretary", "staff"})
AUTHORISED_B = frozenset({"admin", "leader", "other_secretary"})


def _case_b(world):
    built = getattr(world, "_case_b", None)
    if built is None:
        built = world._case_b = factories.case(world, inspecting=world.ward_b, inspected=world.cell_b1)
    return built


ROWS = [
    Row("case in A", lambda w: reverse("oversight:case_detail", args=[sample(w).concluded.pk]), AUTHORISED_A),
    Row("case history in A", lambda w: reverse("oversight:case_history", args=[sample(w).concluded.pk]),
        AUTHORISED_A),
    Row("case in B", lambda w: reverse("oversight:case_detail", args=[_case_b(w).pk]), AUTHORISED_B),
    Row("programme of ward A", lambda w: reverse("oversight:programme_detail", args=[sample(w).programme.pk]),
        AUTHORISED_WARD_A),
    Row("collective evaluation of cell A1", lambda w: reverse("oversight:evaluation_detail",
                                                              args=[sample(w).proposed.pk]), AUTHORISED_A),
    Row("member's evaluation in cell A1", lambda w: reverse("oversight:evaluation_detail", args=[sample(w).draft.pk]),
        AUTHORISED_A),
    Row("API case in A", lambda w: f"/api/oversight-cases/{sample(w).concluded.pk}/", AUTHORISED_A),
    Row("API evaluation in cell A1", lambda w: f"/api/evaluations/{sample(w).proposed.pk}/", AUTHORISED_A),
    Row("summary table of ward B", lambda w: reverse("oversight:round_summary", args=[sample(w).round.pk])
        + f"?unit={w.ward_b.pk}", AUTHORISED_B),
]


@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(client, world, row, role):
    check_row(client, world, row, role)


def test_cases_are_never_public(client, world):
    url = reverse("oversight:case_detail", args=[sample(world).concluded.pk])
    response = client.get(url)
    assert response.status_code == 302  # to the login page


def test_the_case_list_shows_only_cases_in_scope(client, world):
    sample(world)
    _case_b(world)
    client.force_login(world.user("other_secretary"))
    page = client.get(reverse("oversight:case_list")).content.decode()
    assert _case_b(world).decision_number in page
    assert sample(world).concluded.decision_number not in page
    client.force_login(world.user("viewer"))
    page = client.get(reverse("oversight:case_list")).content.decode()
    assert _case_b(world).decision_number not in page


def test_a_member_sees_their_own_evaluation(client, world):
    from chithi.orgs.tests.factories import UserFactory

    member = UserFactory(username="member", person=world.person_a1)
    client.force_login(member)
    assert client.get(reverse("oversight:evaluation_detail", args=[sample(world).draft.pk])).status_code == 200
    assert client.get(reverse("oversight:evaluation_detail", args=[sample(world).proposed.pk])).status_code == 404


def test_a_plain_viewer_reads_no_inspection_or_evaluation_in_the_audit_log(client, world):
    """The change log is scoped like the pages: a viewer of the city, who may not open a case, a programme or an
    evaluation, does not read their changes (decisions, findings, points) in /nhat-ky/ either."""
    built = sample(world)
    secret = built.concluded.decision_number
    client.force_login(world.user("viewer"))
    page = client.get(reverse("core:audit_log")).content.decode()
    for hidden in (built.concluded, built.programme, built.proposed, built.draft):
        assert hidden.get_absolute_url() not in page
    assert secret not in page
    assert "/to-chuc/" in page  # the viewer still reads the changes of what they may open
