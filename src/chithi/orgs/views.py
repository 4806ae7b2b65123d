"""Pages for organisations, people, restructuring and roles. Views read through selectors, ask orgs.policy what
to offer, and write through services (core.forms); anything outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core import panels
from chithi.core.forms import form_page, import_page, run_action, step_refused
from chithi.core.history import history_page
from chithi.core.pagination import list_page, paginate, query_without_page
from chithi.core.permissions import Action, get_scoped_or_404, has_any, restrict
from chithi.core.policy import ObjectPolicy
from chithi.core.rooms import search_providers
from chithi.core.search import search as matching
from chithi.core.xlsx import write_xlsx, xlsx_response

from . import selectors, services
from .filters import OrganisationFilterSet, PersonFilterSet
from .forms import (
    CorrectMembershipForm,
    EndMembershipForm,
    ImportForm,
    MembershipForm,
    MergeForm,
    NewPersonForm,
    OrganisationForm,
    PersonForm,
    RoleForm,
    SplitForm,
)
from .models import Membership, RoleAssignment
from .policy import MEMBERSHIP, ORGANISATION, PERSON


def _offered_or_404[T](policy: ObjectPolicy[T], request: HttpRequest, action: str, obj: T) -> T:
    """A page for an action is there only where its button is: otherwise it does not exist."""
    if action not in policy.allowed(request.user, obj):
        raise Http404
    return obj


# --- organisations -----------------------------------------------------------------------------


def _read_date(value: str) -> dt.date | None:
    """dd/mm/yyyy as typed, or ISO as in a link; None when neither."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    on_date = None
    if request.GET.get("ngay"):
        on_date = _read_date(request.GET["ngay"])
        if on_date is None:
            messages.error(request, _("Not a valid date: %(value)s. Showing today's tree.")
                           % {"value": request.GET["ngay"][:20]})
    roots = selectors.org_tree(user=request.user, on_date=on_date)
    return render(request, "orgs/org_tree.html", {
        "nodes": selectors.flatten(roots), "on_date": on_date, "today": dt.date.today(),
        "can_restructure": has_any(request.user, Action.RESTRUCTURE),
        "can_add": has_any(request.user, Action.ADD),
    })


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    orgs = selectors.visible_orgs(request.user).select_related("parent").order_by("sort_key")
    return list_page(request, "orgs/org_list.html", OrganisationFilterSet, orgs, rows_template="orgs/_org_rows.html")


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_detail(user=request.user, pk=pk)
    return render(request, "orgs/org_detail.html", {
        "org": org,
        "children": selectors.org_children(user=request.user, org=org),
        "members": paginate(request, selectors.org_memberships(org=org)),
        "past_members": selectors.org_memberships(org=org, current=False)[:50],
        "restructurings": selectors.org_restructurings(user=request.user, org=org),
        "successor": selectors.org_successor(user=request.user, org=org),
        "ancestors": selectors.visible_orgs(request.user).filter(path__in=org.ancestor_paths()[:-1])
        .order_by("depth"),
        "actions": ORGANISATION.allowed(request.user, org),
        "query": query_without_page(request),
        "panels": panels.render_context("orgs.organisation", user=request.user, obj=org),
    })


@login_required
def org_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.org_detail(user=request.user, pk=pk))


def _add_page(request: HttpRequest, form_class: type[Any], unit_field: str, **page: Any) -> HttpResponse:
    """A "new …" page, there for whoever may add somewhere; `?<unit_field>=<id>` (a unit page's button) picks
    the unit beforehand."""
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {unit_field: request.GET[unit_field]} if request.GET.get(unit_field) else {}
    return form_page(request, form=form_class(request.POST or None, user=request.user, initial=initial), **page)


@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    return _add_page(request, OrganisationForm, "parent", title=_("New unit"),
                     save=lambda data: services.create_organisation(actor=request.user, **data),
                     success=lambda org: _("Created %(name)s.") % {"name": org.name})


def _edit_page(request: HttpRequest, obj: Any, form: Any, save: Any) -> HttpResponse:
    """The edit page of a unit or a person (the caller has asked the policy), back to the object when saved."""
    return form_page(request, form=form, title=_("Edit %(name)s") % {"name": obj}, back_url=obj.get_absolute_url(),
                     save=save, success=_("Saved."))


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _offered_or_404(ORGANISATION, request, "edit", selectors.org_detail(user=request.user, pk=pk))
    initial = {name: getattr(org, name) for name in services.ORG_FIELDS} | {"parent": org.parent_id}
    form = OrganisationForm(request.POST or None, user=request.user, org=org, initial=initial)
    return _edit_page(request, org, form, lambda data: services.update_organisation(actor=request.user, org=org,
                                                                                    **data))


@login_required
def org_merge(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.RESTRUCTURE):
        raise Http404
    initial = {"sources": request.GET.getlist("sources")} if request.GET.getlist("sources") else {}
    return form_page(
        request, form=MergeForm(request.POST or None, user=request.user, initial=initial), title=_("Merge units"),
        context={"intro": _("The old units stay readable with their history; their people, sub-units and open "
                            "records move to the successor.")},
        save=lambda data: services.merge_organisations(actor=request.user, **data),
        redirect_to=lambda merged: merged[0],
        success=lambda merged: _("Merged into %(name)s.") % {"name": merged[0].name})


@login_required
def org_split(request: HttpRequest, pk: int) -> HttpResponse:
    org = _offered_or_404(ORGANISATION, request, "restructure", selectors.org_detail(user=request.user, pk=pk))
    people = list({m.person.pk: m.person for m in selectors.org_memberships(org=org)}.values())
    children = list(org.children.filter(dissolved_on__isnull=True).order_by("sort_key"))
    form = SplitForm(request.POST or None, people=people, children=children)
    return form_page(
        request, form=form, title=_("Split %(name)s") % {"name": org.name}, back_url=org.get_absolute_url(),
        save=lambda data: services.split_organisation(actor=request.user, source=org, parts=form.parts(),
                                                      effective_on=data["effective_on"], decision=data["decision"]),
        redirect_to=lambda split: split[0][0],
        success=lambda split: _("Split into %(names)s.") % {"names": ", ".join(r.name for r in split[0])})


@login_required
def org_roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = _offered_or_404(ORGANISATION, request, "manage_roles", selectors.org_detail(user=request.user, pk=pk))
    return form_page(
        request, form=RoleForm(request.POST or None), title=_("Roles"), template="orgs/org_roles.html",
        context={"org": org, "assignments": selectors.org_roles(org=org),
                 "can_assign": "assign_role" in ORGANISATION.allowed(request.user, org)},
        save=lambda data: services.assign_role(actor=request.user, user=data["username"], organisation=org,
                                               role=data["role"]),
        redirect_to=lambda _assignment: reverse("orgs:org_roles", args=[org.pk]), success=_("Role assigned."))


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_scoped_or_404(RoleAssignment.objects.select_related("organisation", "user"), request.user,
                                   Action.MANAGE_ROLES, pk=pk)
    run_action(request, services.revoke_role, success=_("Role revoked."), actor=request.user, assignment=assignment)
    return redirect("orgs:org_roles", pk=assignment.organisation_id)


# --- people -------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request, "orgs/person_list.html", PersonFilterSet, selectors.visible_people(request.user),
        rows_template="orgs/_person_rows.html", can_add=has_any(request.user, Action.ADD),
        can_import=has_any(request.user, Action.IMPORT), can_export=has_any(request.user, Action.EXPORT))


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    filterset = PersonFilterSet(request.GET, request=request,
                                queryset=selectors.visible_people(request.user, Action.EXPORT))
    rows = []
    for person in filterset.qs:
        membership = person.current_memberships_list[0] if person.current_memberships_list else None
        rows.append([
            person.full_name,
            (membership.organisation.code or membership.organisation.name) if membership else "",
            membership.position if membership else "",
            membership.since if membership else None,
            person.get_gender_display() if person.gender else "",
            person.birth_date,
            _("yes") if person.is_party_member else _("no"),
            person.party_joined_on,
            person.phone,
            person.email,
        ])
    return _people_sheet(rows, f"nhan-su-{dt.date.today():%Y%m%d}.xlsx")


def _people_sheet(rows: list[list[Any]], filename: str) -> HttpResponse:
    """An XLSX of people under the import's own headers, so an export is a valid import file."""
    headers = [column.header for column in services.people_columns()]
    return xlsx_response(write_xlsx(headers=headers, rows=rows, title=_("People")), filename)


@login_required
def person_import_template(request: HttpRequest) -> HttpResponse:
    example = ["Nguyễn Văn An", "Chi bộ Khu phố 1", "Đảng viên", dt.date(2020, 1, 15), "Nam",
               dt.date(1980, 5, 1), "có", dt.date(2005, 3, 2), "0912345678", ""]
    return _people_sheet([example], "mau-nhap-nhan-su.xlsx")


@login_required
def person_import(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.IMPORT):
        raise Http404
    return import_page(
        request, form=ImportForm(request.POST or None, request.FILES or None), template="orgs/person_import.html",
        run=lambda content: services.import_people(actor=request.user, source=content),
        success=lambda people: _("Imported %(n)d people.") % {"n": len(people)},
        redirect_to=reverse("orgs:person_list"))


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    memberships = list(restrict(Membership.objects.filter(person=person), request.user)
                       .select_related("organisation").order_by("until", "-since"))
    for membership in memberships:
        allowed = MEMBERSHIP.allowed(request.user, membership)
        membership.can_end = "end" in allowed  # type: ignore[attr-defined]
        membership.can_correct = "correct" in allowed  # type: ignore[attr-defined]
    return render(request, "orgs/person_detail.html", {
        "person": person, "memberships": memberships,
        "actions": PERSON.allowed(request.user, person),
        "membership_form": MembershipForm(user=request.user),
        "end_form": EndMembershipForm(initial={"until": dt.date.today()}),
        # Sections other rooms add to a person's page (oversight: commendations and evaluation results).
        "panels": panels.render_context("orgs.person", user=request.user, obj=person),
    })


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    return _add_page(request, NewPersonForm, "organisation", title=_("New person"),
                     save=lambda data: services.create_person(actor=request.user, **data),
                     success=lambda person: _("Added %(name)s.") % {"name": person.full_name})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _offered_or_404(PERSON, request, "edit", selectors.person_detail(user=request.user, pk=pk))
    form = PersonForm(request.POST or None, initial={name: getattr(person, name) for name in PersonForm.base_fields})
    return _edit_page(request, person, form, lambda data: services.update_person(actor=request.user, person=person,
                                                                                 **data))


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, selectors.person_detail(user=request.user, pk=pk))


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _offered_or_404(PERSON, request, "add_membership", selectors.person_detail(user=request.user, pk=pk))
    form = MembershipForm(request.POST, user=request.user)
    if form.is_valid():
        run_action(request, services.add_membership, success=_("Membership added."), actor=request.user,
                   person=person, **form.cleaned_data)
    else:
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(map(str, e))}"
                                         for f, e in form.errors.items()))
    return redirect(person)


@login_required
def membership_correct(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_scoped_or_404(Membership.objects.select_related("organisation", "person"), request.user,
                                   Action.CHANGE, pk=pk)
    if refused := step_refused(request, MEMBERSHIP, "correct", membership, back=membership.person):
        return refused
    form = CorrectMembershipForm(request.POST or None,
                                 initial={"position": membership.position, "since": membership.since})
    return form_page(
        request, form=form, back_url=membership.person.get_absolute_url(),
        title=_("Correct a post: %(person)s, %(unit)s") % {"person": membership.person.full_name,
                                                            "unit": membership.organisation.name},
        save=lambda data: services.correct_membership(actor=request.user, membership=membership, **data),
        success=_("Post corrected."), redirect_to=lambda m: m.person.get_absolute_url(),
        context={"intro": _("Correct what was recorded: a mistyped position, a wrong start date, or the post a "
                            "merger carried over before the new unit's appointment. A new post from a later date "
                            "is recorded by ending this one and adding the new one, so past rosters stay true.")})


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_scoped_or_404(Membership.objects.select_related("organisation", "person"), request.user,
                                   Action.CHANGE, pk=pk)
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        run_action(request, services.end_membership, success=_("Membership ended."), actor=request.user,
                   membership=membership, until=form.cleaned_data["until"])
    else:
        messages.error(request, _("Give a valid end date."))
    return redirect(membership.person)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    orgs = OrganisationFilterSet({"q": query}, queryset=selectors.visible_orgs(request.user)).qs.order_by(
        "dissolved_on", "sort_key")[:20]
    people = PersonFilterSet({"q": query}, queryset=selectors.visible_people(request.user)).qs[:20]
    # What the rooms add (core.rooms RoomConfig.search): each one's hits, scoped to the user, under its name.
    rooms = [(room.verbose_name, provider(user=request.user, query=query, limit=20))
             for room, provider in search_providers()] if query.strip() else []
    return render(request, "orgs/search.html", {"q": query, "orgs": orgs if query else [],
                                                "people": people if query else [],
                                                "rooms": [(name, hits) for name, hits in rooms if hits]})


@login_required
def unit_options(request: HttpRequest) -> JsonResponse:
    """The units a reader may see whose name or code matches `q` (with or without diacritics), for the unit
    filter's search box when the reader's scope is too large to list (orgs.filters.UnitSelect)."""
    query = request.GET.get("q", "")[:100]
    units = selectors.visible_orgs(request.user)
    if query.strip():
        units = matching(units, query)
    rows = units.order_by("depth", "sort_key").only("pk", "name", "depth")[:30]
    return JsonResponse({"results": [{"id": unit.pk, "label": unit.name} for unit in rows]})
