"""After the 2025 reform: a ward moved away from the committee that set its themes, and that committee merged
into the province, still reads the directive and the themes its own plans carry out; the themes of the years
the dissolved committee never ran, and the directives it recorded, pass to its successor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chithi.campaigns import services
from chithi.campaigns.models import Directive, DirectiveAttachment, Theme
from chithi.campaigns.tests.factories import DirectiveFactory, PlanFactory, ThemeFactory
from chithi.core.models import AuditAction, AuditEntry
from chithi.core.permissions import Action, restrict
from chithi.orgs import services as org_services
from chithi.orgs.models import OrgKind
from chithi.orgs.tests.factories import OrganisationFactory, superuser

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)


def _reform(world: Any, campaign: Any) -> Any:
    """The city's 2026 plan reached ward A and its cell A1; the ward then moves under a new province."""
    ward_plan = PlanFactory(organisation=world.ward_a, theme=campaign.theme, parent=campaign.plan)
    PlanFactory(organisation=world.cell_a1, theme=campaign.theme, parent=ward_plan)
    province = OrganisationFactory(name="Tỉnh ủy Quảng Trị", kind=OrgKind.PARTY_COMMITTEE, code="TinhU-QT")
    org_services.move_organisation(actor=superuser(), org=world.ward_a, new_parent=province, on_date=REFORM)
    return province


def test_a_cell_moved_away_reads_the_theme_and_directive_its_plan_follows_but_no_other(
        world: Any, campaign: Any, client: Client) -> None:
    other_theme = ThemeFactory(organisation=world.city, directive=campaign.directive, year=2024)
    other_directive = Directive.objects.create(organisation=world.city, number="04-NQ/TW",
                                               issued_on=dt.date(2016, 10, 30), issuer="BCH TW", title="TW4")
    attachment = services.add_directive_attachment(
        actor=superuser(), directive=campaign.directive,
        upload=SimpleUploadedFile("ct05.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                  content_type="application/pdf"))
    _reform(world, campaign)
    client.force_login(world.user("cell_secretary"))
    assert client.get(reverse("campaigns:theme_detail", args=[campaign.theme.pk])).status_code == 200
    assert client.get(reverse("campaigns:directive_detail", args=[campaign.directive.pk])).status_code == 200
    assert client.get(reverse("campaigns:directive_file", args=[attachment.pk])).status_code == 200
    assert "05-CT/TW" in client.get(reverse("campaigns:directive_list")).content.decode()
    themes = client.get(reverse("campaigns:theme_list")).content.decode()
    assert campaign.theme.text in themes and other_theme.text not in themes
    # What none of the cell's plans follows stays out of reach, as before the move.
    assert client.get(reverse("campaigns:theme_detail", args=[other_theme.pk])).status_code == 404
    assert client.get(reverse("campaigns:directive_detail", args=[other_directive.pk])).status_code == 404
    # Reading is all it grants: no editing of what the city set.
    user = world.user("cell_secretary")
    assert not restrict(Theme.objects.all(), user, Action.CHANGE).filter(pk=campaign.theme.pk).exists()
    assert not restrict(DirectiveAttachment.objects.all(), user, Action.CHANGE).exists()
    assert client.get(reverse("campaigns:theme_edit", args=[campaign.theme.pk])).status_code == 404


def test_the_plan_page_links_the_theme_the_cell_may_now_read(world: Any, campaign: Any, client: Client) -> None:
    _reform(world, campaign)
    client.force_login(world.user("cell_secretary"))
    plan = campaign.theme.plans.get(organisation=world.cell_a1)
    page = client.get(plan.get_absolute_url()).content.decode()
    link = reverse("campaigns:theme_detail", args=[campaign.theme.pk])
    assert link in page and client.get(link).status_code == 200


def test_a_merger_hands_the_successor_the_directives_and_the_themes_of_years_not_yet_begun(world: Any) -> None:
    directive = DirectiveFactory(organisation=world.ward_b, number="05-CT/TW")
    next_year = ThemeFactory(organisation=world.ward_b, directive=directive, year=2026)
    this_year = ThemeFactory(organisation=world.ward_b, directive=directive, year=2025)
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=world.ward_a,
                                     effective_on=REFORM)
    for record in (directive, next_year, this_year):
        record.refresh_from_db()
    # 2026 had not begun when ward B ended: its theme is ward A's to run. 2025's stays with ward B, as history.
    assert next_year.organisation == world.ward_a
    assert this_year.organisation == world.ward_b
    assert directive.organisation == world.ward_a  # Chỉ thị 05 stays in force under the successor
    moved = AuditEntry.objects.for_object(next_year).filter(action=AuditAction.MOVE)
    assert moved.count() == 1 and world.ward_a.name in moved.get().note


def test_a_successor_that_already_records_the_directive_keeps_its_own_record(world: Any) -> None:
    theirs = DirectiveFactory(organisation=world.ward_b, number="05-CT/TW")
    DirectiveFactory(organisation=world.ward_a, number="05-CT/TW", issued_on=theirs.issued_on)
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=world.ward_a,
                                     effective_on=REFORM)
    theirs.refresh_from_db()
    assert theirs.organisation == world.ward_b  # history; ward B's plans still read it through their themes
    assert Directive.objects.filter(organisation=world.ward_a, number="05-CT/TW").count() == 1


def test_a_new_plan_is_offered_only_themes_set_at_or_above_the_units_it_may_plan_for(
        world: Any, campaign: Any, client: Client) -> None:
    """Reading a theme through a plan does not make it one a new plan may follow (create_plan refuses it)."""
    _reform(world, campaign)
    client.force_login(world.user("cell_secretary"))
    choices = client.get(reverse("campaigns:plan_create")).context["form"].fields["theme"].queryset
    assert campaign.theme not in choices
    own = ThemeFactory(organisation=world.cell_a1, directive=campaign.directive, year=2026)
    assert own in choices.all()
