"""Pages of members' standing and of their commitments, self-reflections and the cell's year-end review."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.forms import form_page
from chithi.core.pagination import list_page
from chithi.core.permissions import Action, get_scoped_or_404, has_any, restrict
from chithi.orgs.models import Organisation, OrgKind, Person

from .. import policy, services
from ..filters import CommitmentFilterSet
from ..forms import CommitmentForm, CommitmentReviewForm, ReflectionForm, StandingForm
from ..models import Commitment, Meeting, MeetingStatus, PartyStanding
from ..selectors import members as selectors
from .common import phone_form, refused


@login_required
def standing_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_scoped_or_404(Person, request.user, Action.CHANGE, pk=person_pk)
    standing = PartyStanding.objects.filter(person=person).first()
    initial = {name: getattr(standing, name) for name in services.members.STANDING_FIELDS} if standing else {}
    return form_page(request, form=StandingForm(request.POST or None, initial=initial),
                     title=_("Party standing — %(name)s") % {"name": person.full_name},
                     back_url=person.get_absolute_url(), success=_("The party standing is recorded."),
                     redirect_to=lambda _standing: person,
                     save=lambda data: services.set_standing(actor=request.user, person=person, **data))


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    commitments = selectors.visible_commitments(request.user).order_by("-year", "organisation__path",
                                                                       "person__sort_key")
    return list_page(request, "grassroots/commitment_list.html", CommitmentFilterSet, commitments,
                     can_write=policy.may_write_commitment(request.user))


@login_required
def commitment_create(request: HttpRequest) -> HttpResponse:
    """A secretary writes for a member of their cells; a member writes their own."""
    user: Any = request.user
    if not policy.may_write_commitment(user):
        raise Http404
    secretary = has_any(user, Action.CHANGE)
    if secretary:
        cells = restrict(Organisation.objects.active().filter(kind=OrgKind.PARTY_CELL), user, Action.CHANGE)
        people = restrict(Person.objects.filter(is_party_member=True), user, Action.VIEW).order_by("sort_key")
    else:
        cells, people = selectors.own_cells(user), None
    initial = {"year": timezone.localdate().year}
    form = CommitmentForm(request.POST or None, cells=cells.order_by("path"), people=people, initial=initial)

    def save(data: dict[str, Any]) -> Commitment:
        person = data.get("person") or Person.objects.get(pk=user.person_id)
        return services.save_commitment(actor=user, person=person, organisation=data["organisation"],
                                        year=data["year"], items=form.items())

    return phone_form(request, form=form, title=_("Yearly commitment"), back_url=reverse("grassroots:commitment_list"),
                      draft="commitment:new", template="grassroots/commitment_form.html",
                      success=_("The commitment is saved."), save=save)


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_detail(user=request.user, pk=pk)
    return render(request, "grassroots/commitment_detail.html", {
        "commitment": commitment, "items": commitment.items.order_by("position"),
        "reflections": commitment.reflections.order_by("quarter"),
        "allowed": policy.COMMITMENT.allowed(request.user, commitment)})


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_detail(user=request.user, pk=pk)
    if (answer := refused(request, policy.COMMITMENT, "edit", commitment)) is not None:
        return answer
    items = [(i.text, i.due_on) for i in commitment.items.order_by("position")]
    cells = Organisation.objects.filter(pk=commitment.organisation_id)
    form = CommitmentForm(request.POST or None, cells=cells, people=None, items=items,
                          initial={"year": commitment.year, "organisation": commitment.organisation_id})
    form.fields["year"].disabled = form.fields["organisation"].disabled = True
    return phone_form(request, form=form, title=_("Yearly commitment — %(name)s") % {"name": commitment.person},
                      back_url=commitment.get_absolute_url(), draft=f"commitment:{commitment.pk}",
                      template="grassroots/commitment_form.html", success=_("The commitment is saved."),
                      save=lambda data: services.save_commitment(
                          actor=request.user, person=commitment.person, organisation=commitment.organisation,
                          year=commitment.year, items=form.items()))


@login_required
def reflection_write(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_detail(user=request.user, pk=pk)
    if (answer := refused(request, policy.COMMITMENT, "reflect", commitment)) is not None:
        return answer
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1 if today.year == commitment.year else 4
    form = ReflectionForm(request.POST or None, initial={"quarter": quarter})
    return phone_form(request, form=form, title=_("Quarterly self-reflection"), back_url=commitment.get_absolute_url(),
                      draft=f"reflection:{commitment.pk}", success=_("The self-reflection is saved."),
                      redirect_to=lambda _reflection: commitment,
                      save=lambda data: services.write_reflection(actor=request.user, commitment=commitment, **data))


@login_required
def commitment_review(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_detail(user=request.user, pk=pk)
    if (answer := refused(request, policy.COMMITMENT, "review", commitment)) is not None:
        return answer
    meetings = restrict(Meeting.objects.filter(organisation=commitment.organisation, status=MeetingStatus.HELD,
                                               period__gte=commitment.year * 100 + 11), request.user, Action.VIEW)
    form = CommitmentReviewForm(request.POST or None, meetings=meetings.order_by("starts_at"))
    return form_page(request, form=form, title=_("Year-end review — %(name)s") % {"name": commitment.person},
                     back_url=commitment.get_absolute_url(), success=_("The review is recorded."),
                     save=lambda data: services.review_commitment(actor=request.user, commitment=commitment, **data))
