"""Issue 10: dates are entered and shown dd/mm/yyyy, whatever the browser's language (a native date input showed
mm/dd/yyyy), and a typed day-first date is never read month-first."""

from __future__ import annotations

import datetime as dt

from chithi.orgs.forms import DateInput
from chithi.orgs.models import Membership


def test_date_input_is_day_first_text():
    html = DateInput().render("since", dt.date(2020, 3, 5))
    assert 'type="text"' in html and 'value="05/03/2020"' in html and "dd/mm/yyyy" in html


def test_a_typed_day_first_date_is_read_day_first(client, world):
    client.force_login(world.user("secretary"))
    membership = Membership.objects.get(person=world.person_a1, until__isnull=True)
    response = client.post(f"/cong-tac/{membership.pk}/ket-thuc/", {"until": "05/03/2026"})
    membership.refresh_from_db()
    assert response.status_code == 302 and membership.until == dt.date(2026, 3, 5)


def test_tree_on_a_date_typed_day_first(client, world):
    client.force_login(world.user("admin"))
    page = client.get("/to-chuc/?ngay=01/01/2020").content.decode()
    assert 'value="01/01/2020"' in page and "alert-danger" not in page
    assert 'type="date"' not in page
