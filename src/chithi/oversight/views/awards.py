"""Pages for commendations of units, people and practices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from chithi.core.forms import form_page
from chithi.core.permissions import restrict

from .. import services
from ..models import Award
from .common import FORM, list_page


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    awards = restrict(Award.objects.select_related("organisation", "person", "practice"), request.user)
    return list_page(request, "oversight/award_list.html", awards)


@login_required
def award_create(request: HttpRequest) -> HttpResponse:
    from ..forms import AwardForm

    form = AwardForm(request.POST or None, user=request.user)
    return form_page(request, form=form, title=_("New commendation"), template=FORM,
                     save=lambda data: services.add_award(actor=request.user, **data),
                     redirect_to=lambda _award: reverse("oversight:award_list"),
                     success=_("The commendation is recorded."))
