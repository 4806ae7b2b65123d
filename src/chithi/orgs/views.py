"""Pages for organisations, people, restructuring and roles. Views read through selectors and
write through services; anything outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core import panels
from chithi.core.forms import call_service, run_action
from chithi.core.history import history_page
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404, has_any, restrict
from chithi.core.xlsx import ImportRejected, write_xlsx, xlsx_response

from . import selectors, services
from .filters import OrganisationFilterSet, PersonFilterSet
from .forms import (
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
from .models import Membership, Organisation, Person, RoleAssignment

# --- organisations -----------------------------------------------------------------------------


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    on_date = None
    if request.GET.get("ngay"):
        try:
            on_date = parse_date(request.GET["ngay"])
        except ValueError:
            on_date = None
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
    filterset = OrganisationFilterSet(request.GET, queryset=selectors.visible_orgs(request.user)
                                      .select_related("parent").order_by("sort_key"))
    template = "orgs/_org_rows.html" if request.htmx else "orgs/org_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"filter": filterset, "page": paginate(request, filterset.qs),
                                      "query": query_without_page(request)})


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_detail(user=request.user, pk=pk)
    return render(request, "orgs/org_detail.html", {
        "org": org,
        "children": selectors.org_children(user=request.user, org=org),
        "members": paginate(request, selectors.org_memberships(org=org)),
        "past_members": selectors.org_memberships(org=org, current=False)[:50],
        "restructurings": selectors.org_restructurings(org=org),
        "ancestors": selectors.visible_orgs(request.user).filter(path__in=org.ancestor_paths()[:-1])
        .order_by("depth"),
        "can_change": allowed_on_path(request.user, Action.CHANGE, org.path),
        "can_add": org.is_active and allowed_on_path(request.user, Action.ADD, org.path),
        "can_restructure": org.is_active and org.parent_id and allowed_on_path(request.user, Action.RESTRUCTURE,
                                                                                org.path),
        "can_manage_roles": allowed_on_path(request.user, Action.MANAGE_ROLES, org.path),
        "query": query_without_page(request),
        "panels": panels.render_context("orgs.organisation", user=request.user, obj=org),
    })


@login_required
def org_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.org_detail(user=request.user, pk=pk)
    return history_page(request, org)


@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {}
    if request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = OrganisationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        org = call_service(form, services.create_organisation, actor=request.user, **form.cleaned_data)
        if org is not None:
            messages.success(request, _("Created %(name)s.") % {"name": org.name})
            return redirect(org)
    return render(request, "core/form_page.html", {"form": form, "title": _("New unit")})


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_scoped_or_404(Organisation, request.user, Action.CHANGE, pk=pk)
    if not org.is_active:
        raise Http404
    initial = {name: getattr(org, name) for name in
               ("name", "short_name", "code", "kind", "residential", "established_on", "description")}
    initial["parent"] = org.parent_id
    form = OrganisationForm(request.POST or None, user=request.user, initial=initial)
    if org.parent_id is None:
        form.fields["parent"].required = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if org.parent_id is None:
            data.pop("parent", None)
        if call_service(form, services.update_organisation, actor=request.user, org=org, **data) is not None:
            messages.success(request, _("Saved."))
            return redirect(org)
    return render(request, "core/form_page.html", {"form": form, "title": _("Edit %(name)s") % {"name": org.name},
                                              "back_url": org.get_absolute_url()})


@login_required
def org_merge(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.RESTRUCTURE):
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.getlist("sources"):
        initial["sources"] = request.GET.getlist("sources")
    form = MergeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        merged = call_service(
            form, services.merge_organisations,
            actor=request.user, sources=list(data["sources"]), target=data.get("target"),
            new_name=data.get("new_name", ""), new_code=data.get("new_code", ""),
            effective_on=data["effective_on"], decision=data.get("decision", ""), note=data.get("note", ""))
        if merged is not None:
            target = merged[0]
            messages.success(request, _("Merged into %(name)s.") % {"name": target.name})
            return redirect(target)
    return render(request, "core/form_page.html", {"form": form, "title": _("Merge units"),
                                              "intro": _("The old units stay readable with their history; "
                                                         "their people, sub-units and open records move to "
                                                         "the successor.")})


@login_required
def org_split(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_scoped_or_404(Organisation, request.user, Action.RESTRUCTURE, pk=pk)
    people = [m.person for m in selectors.org_memberships(org=org)]
    people = list({p.pk: p for p in people}.values())
    children = list(org.children.filter(dissolved_on__isnull=True).order_by("sort_key"))
    form = SplitForm(request.POST or None, people=people, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parts = [services.SplitPart(name=name) for name in data["names"]]
        for person in people:
            parts[int(data[f"person_{person.pk}"]) - 1].people.append(person)
        for child in children:
            parts[int(data[f"child_{child.pk}"]) - 1].children.append(child)
        split = call_service(form, services.split_organisation, actor=request.user, source=org, parts=parts,
                             effective_on=data["effective_on"], decision=data.get("decision", ""))
        if split is not None:
            results = split[0]
            messages.success(request, _("Split into %(names)s.") % {"names": ", ".join(r.name for r in results)})
            return redirect(results[0])
    return render(request, "core/form_page.html", {"form": form, "title": _("Split %(name)s") % {"name": org.name},
                                              "back_url": org.get_absolute_url()})


@login_required
def org_roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_scoped_or_404(Organisation, request.user, Action.MANAGE_ROLES, pk=pk)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and call_service(
            form, services.assign_role, actor=request.user, user=form.cleaned_data["username"], organisation=org,
            role=form.cleaned_data["role"]) is not None:
        messages.success(request, _("Role assigned."))
        return redirect("orgs:org_roles", pk=org.pk)
    assignments = RoleAssignment.objects.filter(organisation=org).select_related("user").order_by("user__username")
    return render(request, "orgs/org_roles.html", {"org": org, "form": form, "assignments": assignments})


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_scoped_or_404(RoleAssignment.objects.select_related("organisation", "user"), request.user,
                                   Action.MANAGE_ROLES, pk=pk)
    services.revoke_role(actor=request.user, assignment=assignment)
    messages.success(request, _("Role revoked."))
    return redirect("orgs:org_roles", pk=assignment.organisation_id)


# --- people -------------------------------------------------------------------------------------


def _people_filterset(request: HttpRequest) -> PersonFilterSet:
    return PersonFilterSet(request.GET, queryset=selectors.visible_people(request.user))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    filterset = _people_filterset(request)
    template = "orgs/_person_rows.html" if request.htmx else "orgs/person_list.html"  # type: ignore[attr-defined]
    return render(request, template, {
        "filter": filterset, "page": paginate(request, filterset.qs), "query": query_without_page(request),
        "can_add": has_any(request.user, Action.ADD), "can_import": has_any(request.user, Action.IMPORT),
        "can_export": has_any(request.user, Action.EXPORT)})


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    filterset = PersonFilterSet(request.GET, queryset=selectors.visible_people(request.user, Action.EXPORT))
    columns = services.people_columns()
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
    content = write_xlsx(headers=[c.header for c in columns], rows=rows, title=_("People"))
    return xlsx_response(content, f"nhan-su-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def person_import_template(request: HttpRequest) -> HttpResponse:
    columns = services.people_columns()
    example = ["Nguyễn Văn An", "Chi bộ Khu phố 1", "Đảng viên", dt.date(2020, 1, 15), "Nam",
               dt.date(1980, 5, 1), "có", dt.date(2005, 3, 2), "0912345678", ""]
    return xlsx_response(write_xlsx(headers=[c.header for c in columns], rows=[example], title=_("People")),
                          "mau-nhap-nhan-su.xlsx")


@login_required
def person_import(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.IMPORT):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            people = services.import_people(actor=request.user, source=form.cleaned_data["file"].read())
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Imported %(n)d people.") % {"n": len(people)})
            return redirect("orgs:person_list")
    return render(request, "orgs/person_import.html", {"form": form, "errors": errors})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    memberships = restrict(Membership.objects.filter(person=person), request.user).select_related("organisation")
    return render(request, "orgs/person_detail.html", {
        "person": person, "memberships": memberships.order_by("until", "-since"),
        "can_change": restrict(Person.objects.filter(pk=pk), request.user, Action.CHANGE).exists(),
        "membership_form": MembershipForm(user=request.user),
        "end_form": EndMembershipForm(initial={"until": dt.date.today()}),
    })


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {"organisation": request.GET.get("organisation")} if request.GET.get("organisation") else {}
    form = NewPersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = call_service(
            form, services.create_person, actor=request.user, full_name=data.pop("full_name"),
            organisation=data.pop("organisation"), position=data.pop("position"), since=data.pop("since"), **data)
        if person is not None:
            messages.success(request, _("Added %(name)s.") % {"name": person.full_name})
            return redirect(person)
    return render(request, "core/form_page.html", {"form": form, "title": _("New person")})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {name: getattr(person, name) for name in PersonForm.base_fields}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and call_service(
            form, services.update_person, actor=request.user, person=person, **form.cleaned_data) is not None:
        messages.success(request, _("Saved."))
        return redirect(person)
    return render(request, "core/form_page.html", {"form": form, "title": _("Edit %(name)s") % {"name": person},
                                              "back_url": person.get_absolute_url()})


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk)
    return history_page(request, person)


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_detail(user=request.user, pk=pk, action=Action.CHANGE)
    form = MembershipForm(request.POST, user=request.user)
    if form.is_valid():
        run_action(request, services.add_membership, success=_("Membership added."), actor=request.user,
                   person=person, **form.cleaned_data)
    else:
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(map(str, e))}"
                                         for f, e in form.errors.items()))
    return redirect(person)


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
    return render(request, "orgs/search.html", {"q": query, "orgs": orgs if query else [],
                                                "people": people if query else []})
