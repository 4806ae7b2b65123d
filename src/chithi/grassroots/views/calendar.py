"""Calendars (a unit's and a person's, month and agenda views, server-rendered) and the private iCalendar feed
that phone calendars subscribe to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from chithi.core.permissions import Action, get_scoped_or_404
from chithi.core.views import public
from chithi.orgs.models import Organisation, Person

from .. import rules, services
from ..models import CalendarFeed
from ..selectors import calendar as selectors
from .common import focus_unit, month_param, shift_month

FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 400


def _page(request: HttpRequest, *, title: str, events_for: Any, base_url: str, context: dict[str, Any]) -> HttpResponse:
    year, month = month_param(request)
    view = "agenda" if request.GET.get("view") == "agenda" else "month"
    start, end = selectors.month_window(year, month)
    if view == "agenda":
        start = timezone.make_aware(dt.datetime(year, month, 1))
        end = timezone.make_aware(dt.datetime.combine(rules.add_months(dt.date(year, month, 1), 1), dt.time.min))
    events = events_for(start, end)
    return render(request, "grassroots/calendar.html", {
        "title": title, "view": view, "year": year, "month": month, "events": events,
        "weeks": selectors.month_grid(year, month, events) if view == "month" else None,
        "previous": shift_month(year, month, -1), "next": shift_month(year, month, 1), "base_url": base_url,
        "this_month": f"{year}-{month:02d}", **context})


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """Your own calendar if you are a person of the tree, else the calendar of the top of your scope."""
    user: Any = request.user
    if user.person_id:
        return person_calendar(request, user.person_id)
    return unit_calendar(request, focus_unit(request).pk)


@login_required
def unit_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Organisation, request.user, Action.VIEW, pk=pk)
    return _page(request, title=_("Calendar — %(unit)s") % {"unit": unit.name},
                 base_url=reverse("grassroots:unit_calendar", args=[unit.pk]), context={"unit": unit},
                 events_for=lambda start, end: selectors.unit_events(user=request.user, unit=unit, start=start,
                                                                     end=end))


@login_required
def person_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    own = user.person_id == pk
    person = Person.objects.get(pk=pk) if own else get_scoped_or_404(Person, user, Action.VIEW, pk=pk)
    return _page(request, title=_("Calendar — %(name)s") % {"name": person.full_name},
                 base_url=reverse("grassroots:person_calendar", args=[person.pk]),
                 context={"person": person, "own": own},
                 events_for=lambda start, end: selectors.person_events(person=person, start=start, end=end,
                                                                       user=None if own else user))


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Make a private feed URL (shown once; it replaces the earlier one) or stop the current one."""
    user: Any = request.user
    new_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feeds(actor=user)
        else:
            token = services.issue_feed(actor=user)
            new_url = request.build_absolute_uri(reverse("grassroots:ical_feed", args=[token]))
    active = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return render(request, "grassroots/feed_settings.html", {"active": active, "new_url": new_url})


@public
@never_cache
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's events as iCalendar; the token is the only key, so an unknown or revoked one is a 404."""
    from icalendar import Calendar, Event

    feed = CalendarFeed.objects.select_related("user", "user__person").filter(
        token_hash=services.token_hash(token), revoked_at__isnull=True, user__is_active=True).first()
    if feed is None:
        raise Http404
    now = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    cal = Calendar()
    cal.add("prodid", "-//chithi//grassroots//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("chithi — my grassroots calendar"))
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    host = request.get_host()
    for item in selectors.feed_events(user=feed.user, start=now - dt.timedelta(days=FEED_PAST_DAYS),
                                      end=now + dt.timedelta(days=FEED_FUTURE_DAYS)):
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.title)
        if item.place:
            event.add("location", item.place)
        if item.url:
            event.add("url", request.build_absolute_uri(item.url))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chithi.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
