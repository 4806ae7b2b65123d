"""What the grassroots forms answer to careless or hostile input, from testers' findings on the demo: a number too
big for the database, a date that cannot be true, an error that marked the field red without saying why, a banner
that did not name the field, an English heading and a filter's "---------"."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chithi.grassroots import forms as grassroots_forms
from chithi.grassroots import rules
from chithi.grassroots.models import AgendaItem, Commitment, FlagCeremony, Meeting, MinutesVersion, WorkingGroup

from .factories import Grassroots, aware, last_flag_month, next_month

HUGE = "99999999999999999999999"  # past any integer column of SQLite or PostgreSQL


def _error_text(page: str, field_id: str) -> str:
    """The error shown for a field marked invalid: the element its aria-describedby names (the grassroots
    templates and core/_form.html give the error block that id)."""
    assert f'aria-describedby="{field_id}_error"' in page, f"{field_id} is not marked invalid"
    found = re.search(rf'<div[^>]*\bid="{field_id}_error"[^>]*>(.*?)</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# --- 1. numbers the database cannot hold ----------------------------------------------------------------


@pytest.mark.parametrize("field", ["attendance", "expected"])
def test_a_head_count_too_big_for_the_database_is_refused_on_the_ceremony_form(
        world: Any, client: Client, field: str) -> None:
    client.force_login(world.user("secretary"))
    year, month = last_flag_month()
    url = reverse("grassroots:ceremony_record", args=[world.ward_a.pk]) + f"?month={year}-{month:02d}"
    data = {"status": "held", "held_on": rules.flag_day(year, month).isoformat(), "start_time": "07:00",
            "topic": "Thông tin thời sự", "attendance": 30, "expected": 40, field: HUGE}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhỏ hơn hoặc bằng" in _error_text(page, f"id_{field}")
    assert re.search(rf'<input[^>]*name="{field}"[^>]*max="100000"', page)
    assert not FlagCeremony.objects.filter(organisation=world.ward_a).exists()


@pytest.mark.parametrize("field", ["votes_for", "votes_total"])
def test_a_vote_count_too_big_for_the_database_is_refused_on_the_minutes_form(
        world: Any, gw: Grassroots, client: Client, field: str) -> None:
    client.force_login(world.user("secretary"))
    response = client.post(reverse("grassroots:minutes_edit", args=[gw.meeting.pk]), {field: HUGE})
    assert response.status_code == 200
    assert "nhỏ hơn hoặc bằng" in _error_text(response.content.decode(), f"id_{field}")


def test_every_number_a_grassroots_form_takes_has_an_upper_bound() -> None:
    unbounded = [f"{name}.{field_name}" for name, form in vars(grassroots_forms).items()
                 if isinstance(form, type) and issubclass(form, forms.BaseForm)
                 for field_name, field in form.base_fields.items()
                 if isinstance(field, forms.IntegerField) and field.max_value is None]
    assert not unbounded, "numbers without an upper bound (a 500 on the database): " + ", ".join(unbounded)


# --- 2. the commitment's rows show their errors ---------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("due_0", "31/02/2026", "ngày hợp lệ"), ("due_0", "abc", "ngày hợp lệ"), ("text_0", "x" * 501, "500"),
])
def test_a_bad_row_of_a_commitment_shows_its_error_under_the_field(
        world: Any, gw: Grassroots, client: Client, field: str, value: str, expected: str) -> None:
    client.force_login(world.user("cell_secretary"))
    data = {"person": gw.members[3].pk, "organisation": world.cell_a1.pk, "year": timezone.localdate().year,
            "text_0": "Vận động 5 hộ phân loại rác", "due_0": "31/12/2026", field: value}
    for url in (reverse("grassroots:commitment_create"), reverse("grassroots:commitment_edit",
                                                                  args=[gw.commitment.pk])):
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert expected in _error_text(response.content.decode(), f"id_{field}"), url
    assert not Commitment.objects.filter(person=gw.members[3]).exists()


def test_the_rows_of_the_minutes_and_the_roll_call_show_their_errors_under_the_field(
        world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    minutes = client.post(reverse("grassroots:minutes_edit", args=[gw.meeting.pk]), {"remark_0_name": "x" * 121})
    assert "120" in _error_text(minutes.content.decode(), "id_remark_0_name")
    person = gw.members[1].pk
    roll = client.post(reverse("grassroots:attendance", args=[gw.meeting.pk]),
                       {f"status_{person}": "present", f"note_{person}": "x" * 301})
    assert "300" in _error_text(roll.content.decode(), f"id_note_{person}")


# --- 3. the meeting page's forms name the field that is wrong -------------------------------------------


def test_an_empty_agenda_item_is_shown_again_with_the_error_under_the_field(
        world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    before = AgendaItem.objects.filter(meeting=gw.upcoming).count()
    response = client.post(reverse("grassroots:agenda_add", args=[gw.upcoming.pk]), {"title": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "bắt buộc" in _error_text(page, "id_title")
    assert re.search(r"<details[^>]*\bopen>", page)  # the form is not folded away with its error inside
    assert AgendaItem.objects.filter(meeting=gw.upcoming).count() == before
    added = client.post(reverse("grassroots:agenda_add", args=[gw.upcoming.pk]), {"title": "Góp ý dự thảo"})
    assert added.status_code == 302 and AgendaItem.objects.filter(meeting=gw.upcoming).count() == before + 1


def test_a_too_long_agenda_item_is_refused_with_its_error_not_dropped_silently(
        world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    response = client.post(reverse("grassroots:agenda_add", args=[gw.upcoming.pk]), {"title": "x" * 501})
    assert response.status_code == 200
    assert "500" in _error_text(response.content.decode(), "id_title")


@pytest.mark.parametrize(("name", "data", "field"), [
    ("guest_add", {"name": ""}, "id_name"),
    ("task_add", {"title": ""}, "id_title"),
])
def test_the_meetings_other_small_forms_show_their_errors_under_the_field(
        world: Any, gw: Grassroots, client: Client, name: str, data: dict[str, str], field: str) -> None:
    client.force_login(world.user("cell_secretary"))
    response = client.post(reverse(f"grassroots:{name}", args=[gw.meeting.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "bắt buộc" in page and f'aria-describedby="{field}_error"' in page


def test_the_minutes_form_shows_a_service_error_under_its_field(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    response = client.post(reverse("grassroots:minutes_edit", args=[gw.meeting.pk]),
                           {"votes_for": 5, "votes_total": 2})
    assert response.status_code == 200
    assert _error_text(response.content.decode(), "id_votes_for")
    assert MinutesVersion.objects.get(meeting=gw.meeting).votes_for is None


# --- 4. the roll-up speaks Vietnamese -------------------------------------------------------------------


def test_the_roll_up_page_has_no_english_heading(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("secretary"))
    page = client.get(reverse("grassroots:rollup")).content.decode()
    assert "Tỷ lệ dự (%)" in page
    template = Path(rules.__file__).parent / "templates" / "grassroots" / "rollup.html"
    english = [m for m in re.findall(r"""\{% translate ["'](.+?)["'] %\}""", template.read_text())
               if html.escape(m) in page]
    assert not english, f"English left on the page: {english}"


# --- 5. filters say "Tất cả" ----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "fields"), [
    ("grassroots:homehelp_list", ["outcome", "procedure"]), ("grassroots:meeting_list", ["kind", "status"]),
])
def test_a_filters_empty_choice_reads_all(world: Any, gw: Grassroots, client: Client, url: str,
                                         fields: list[str]) -> None:
    client.force_login(world.user("staff"))
    page = client.get(reverse(url)).content.decode()
    assert "---------" not in page
    for field in fields:
        select = re.search(rf'<select name="{field}"[^>]*>\s*<option value=""[^>]*>([^<]*)</option>', page)
        assert select and select.group(1) == "Tất cả", field


# --- 6. dates that cannot be true -----------------------------------------------------------------------


def test_a_meeting_moved_to_the_year_3000_is_refused(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    response = client.post(reverse("grassroots:meeting_edit", args=[gw.upcoming.pk]), {
        "kind": "regular", "starts_at": "3000-01-01T19:30", "planned_minutes": 90})
    assert response.status_code == 200
    assert "không hợp lý" in _error_text(response.content.decode(), "id_starts_at")
    assert Meeting.objects.get(pk=gw.upcoming.pk).starts_at == gw.upcoming.starts_at


def test_a_home_help_appointment_in_the_year_3000_is_refused(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("staff"))
    response = client.post(reverse("grassroots:homehelp_reschedule", args=[gw.request.pk]),
                           {"slot_start": "3000-01-01T09:00"})
    assert response.status_code == 200
    assert "không hợp lý" in _error_text(response.content.decode(), "id_slot_start")
    created = client.post(reverse("grassroots:homehelp_create"), {
        "organisation": gw.police.pk, "household": gw.household.pk, "procedure": gw.request.procedure_id,
        "channel": "phone", "reason": "elderly", "slot_start": "3000-01-01T09:00", "slot_minutes": 45,
        "officer": gw.officer.pk})
    assert created.status_code == 200
    assert "không hợp lý" in _error_text(created.content.decode(), "id_slot_start")


def test_a_working_group_from_1800_to_3000_is_refused(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("staff"))
    response = client.post(reverse("grassroots:group_create"), {
        "organisation": world.ward_a.pk, "name": "Tổ công tác số 9", "starts_on": "01/01/1800",
        "ends_on": "01/01/3000", "leader": gw.members[0].pk, "followed_units": [world.cell_a1.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "không hợp lý" in _error_text(page, "id_starts_on")
    assert "không hợp lý" in _error_text(page, "id_ends_on")
    assert not WorkingGroup.objects.filter(name="Tổ công tác số 9").exists()


def test_a_plausible_meeting_date_is_still_taken(world: Any, gw: Grassroots, client: Client) -> None:
    client.force_login(world.user("cell_secretary"))
    later = aware(next_month(20))
    response = client.post(reverse("grassroots:meeting_edit", args=[gw.upcoming.pk]), {
        "kind": "regular", "starts_at": _local(later), "planned_minutes": 90})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=gw.upcoming.pk).starts_at == later


def test_a_working_groups_start_date_is_named_as_a_date() -> None:
    """The model's verbose name "from" shared its msgid with orgs' predecessor units and read "đơn vị trước sắp
    xếp" in the admin and the change log; the date is now "ngày bắt đầu"."""
    from django.utils import translation

    from chithi.grassroots.models import WorkingGroup

    with translation.override("vi"):
        assert str(WorkingGroup._meta.get_field("starts_on").verbose_name) == "ngày bắt đầu"
