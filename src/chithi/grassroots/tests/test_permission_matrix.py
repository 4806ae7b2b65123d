"""Who reaches what in the grassroots room, as a table (core.testing): every role × every page and API endpoint,
inside and outside its scope. A row's roles get its `ok` status; every other role gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chithi.core.testing import (
    CHANGE_A,
    CHANGE_B,
    CHANGE_WARD_A,
    SIGNED_IN,
    VIEW_A,
    VIEW_B,
    WARD_A,
    Row,
    check_row,
    matrix,
)

from .factories import grassroots as g
from .factories import meeting, roll_call


def _b_meeting(w: Any) -> Any:
    cached = getattr(w, "_b_meeting", None)
    if cached is None:
        cached = w._b_meeting = roll_call(meeting(w.cell_b1))
    return cached


def page(name: str, obj: Any, **query: Any) -> Any:
    def url(w: Any) -> str:
        target = obj(w)
        path = reverse(f"grassroots:{name}", args=[target.pk]) if target is not None else reverse(f"grassroots:{name}")
        return path + ("?" + "&".join(f"{k}={v(w)}" for k, v in query.items()) if query else "")
    return url


def api(basename: str, obj: Any, suffix: str = "detail") -> Any:
    return lambda w: reverse(f"{basename}-{suffix}", args=[obj(w).pk])


ROWS = [
    Row("meeting list", page("meeting_list", lambda w: None), SIGNED_IN),
    Row("meeting in A", page("meeting_detail", lambda w: g(w).meeting), VIEW_A),
    Row("meeting in B", page("meeting_detail", _b_meeting), VIEW_B),
    Row("minutes print in A", page("minutes_print", lambda w: g(w).meeting), VIEW_A),
    Row("meeting history in A", page("meeting_history", lambda w: g(w).meeting), VIEW_A),
    Row("edit meeting in A", page("meeting_edit", lambda w: g(w).upcoming), CHANGE_A),
    Row("attendance form in A", page("attendance", lambda w: g(w).meeting), CHANGE_A),
    Row("attendance form in B", page("attendance", _b_meeting), CHANGE_B),
    Row("minutes form in A", page("minutes_edit", lambda w: g(w).meeting), CHANGE_A),
    Row("notify meeting in A", page("meeting_notify", lambda w: g(w).upcoming), CHANGE_A, method="post", ok=302),
    Row("approve minutes in A", page("minutes_approve", lambda w: g(w).meeting), CHANGE_A, method="post", ok=302),
    Row("commitment in A", page("commitment_detail", lambda w: g(w).commitment), VIEW_A),
    Row("year-end review in A", page("commitment_review", lambda w: g(w).old_commitment), CHANGE_A),
    Row("party standing in A", lambda w: reverse("grassroots:standing_edit", args=[g(w).members[1].pk]), CHANGE_A),
    Row("working group of ward A", page("group_detail", lambda w: g(w).group), WARD_A),
    Row("edit working group of ward A", page("group_edit", lambda w: g(w).group), CHANGE_WARD_A),
    Row("plan a visit for ward A's group", page("visit_plan", lambda w: g(w).group), CHANGE_WARD_A),
    Row("household in A", page("household_detail", lambda w: g(w).household), VIEW_A),
    Row("edit household in A", page("household_edit", lambda w: g(w).household), CHANGE_A),
    Row("visit in A", page("visit_detail", lambda w: g(w).visit), VIEW_A),
    Row("record visit of ward A's group", page("visit_record", lambda w: g(w).visit), CHANGE_WARD_A),
    Row("raise a concern of ward A's group", page("concern_raise", lambda w: g(w).concern), CHANGE_WARD_A),
    Row("home help in A", page("homehelp_detail", lambda w: g(w).request), VIEW_A),
    Row("reschedule home help of A's police", page("homehelp_reschedule", lambda w: g(w).request), CHANGE_WARD_A),
    Row("flag ceremony of ward A", page("ceremony_detail", lambda w: g(w).ceremony), WARD_A),
    Row("record ward A's flag ceremony", page("ceremony_record", lambda w: w.ward_a), CHANGE_WARD_A),
    Row("ceremony board of ward A", page("ceremony_board", lambda w: None, unit=lambda w: w.ward_a.pk), WARD_A),
    Row("roll-up of ward B", page("rollup", lambda w: None, unit=lambda w: w.ward_b.pk), VIEW_B),
    Row("calendar of ward A", page("unit_calendar", lambda w: w.ward_a), WARD_A),
    Row("calendar of a member in A", lambda w: reverse("grassroots:person_calendar", args=[g(w).members[0].pk]),
        VIEW_A),
    Row("API meetings", lambda w: reverse("meeting-list"), SIGNED_IN),
    Row("API meeting in A", api("meeting", lambda w: g(w).meeting), VIEW_A),
    Row("API meeting in B", api("meeting", _b_meeting), VIEW_B),
    Row("API notify meeting in A", api("meeting", lambda w: g(w).upcoming, "notify"), CHANGE_A, method="post",
        json=True),
    Row("API attendance row in A", lambda w: reverse("meeting-attendance-detail",
                                                      args=[g(w).meeting.attendance.first().pk]), VIEW_A),
    Row("API minutes in A", lambda w: reverse("meeting-minutes-detail", args=[g(w).meeting.minutes.first().pk]),
        VIEW_A),
    Row("API household in A", api("household", lambda w: g(w).household), VIEW_A),
    Row("API visit in A", api("visit", lambda w: g(w).visit), VIEW_A),
    Row("API home help in A", api("home-help", lambda w: g(w).request), VIEW_A),
    Row("API working group of ward A", api("working-group", lambda w: g(w).group), WARD_A),
    Row("API flag ceremony of ward A", api("flag-ceremony", lambda w: g(w).ceremony), WARD_A),
    Row("API commitment in A", api("commitment", lambda w: g(w).commitment), VIEW_A),
]


@pytest.mark.parametrize(("row", "role"), matrix(ROWS))
def test_permission_matrix(client: Client, world: Any, row: Row, role: str) -> None:
    check_row(client, world, row, role)
