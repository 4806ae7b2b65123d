"""Reminders for tasks due soon and overdue: owners and the unit's secretaries, in-app and by e-mail,
once per task per stage (the dedupe key), sent from the task worker."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from chithi.core.models import User
from chithi.core.notify import notify
from chithi.core.permissions import Role
from chithi.core.workdays import add_working_days
from chithi.orgs.models import Organisation
from chithi.orgs.selectors import users_with_role

from .models import OPEN_STATUSES, PlanTask

DEFAULT_DAYS_AHEAD = 3


def _recipients(tasks: list[PlanTask]) -> dict[int, list[User]]:
    """Per task: users linked to its people in charge, and the secretaries of its unit and of its units in charge
    (orgs' users_with_role, asked once per unit)."""
    secretaries: dict[int, list[User]] = {}

    def secretaries_of(unit: Organisation) -> list[User]:
        if unit.pk not in secretaries:
            secretaries[unit.pk] = users_with_role(unit, roles=[Role.SECRETARY])
        return secretaries[unit.pk]

    people_ids = {p.pk for task in tasks for p in task.owner_people.all()}
    users_of_people: dict[int, User] = {u.person_id: u for u in User.objects.filter(person_id__in=people_ids,
                                                                                    is_active=True)
                                        if u.person_id is not None}
    result: dict[int, list[User]] = {}
    for task in tasks:
        users = {users_of_people[p.pk].pk: users_of_people[p.pk] for p in task.owner_people.all()
                 if p.pk in users_of_people}
        for unit in {task.plan.organisation, *task.owner_units.all()}:
            users.update((user.pk, user) for user in secretaries_of(unit))
        result[task.pk] = list(users.values())
    return result


def send_reminders(*, today: dt.date | None = None, days_ahead: int = DEFAULT_DAYS_AHEAD) -> dict[str, int]:
    """Notify about open tasks due within `days_ahead` working days, and about overdue ones.

    Returns how many notices were newly sent per stage; a second run the same day sends nothing new.
    """
    today = today or dt.date.today()
    horizon = add_working_days(today, days_ahead)
    tasks = list(PlanTask.objects.filter(status__in=OPEN_STATUSES, plan__closed_on__isnull=True)
                 .filter(Q(deadline__lt=today) | Q(deadline__lte=horizon))
                 .select_related("plan__organisation").prefetch_related("owner_people", "owner_units"))
    recipients = _recipients(tasks)
    sent = {"due": 0, "overdue": 0}
    with translation.override("vi"):
        for task in tasks:
            stage = "overdue" if task.deadline < today else "due"
            context = {"task": task.title, "unit": task.plan.organisation.name,
                       "date": task.deadline.strftime("%d/%m/%Y")}
            if stage == "overdue":
                title = _("Overdue task: %(task)s") % context
                body = _("The task “%(task)s” of %(unit)s was due on %(date)s and is not finished.") % context
            else:
                title = _("Task due soon: %(task)s") % context
                body = _("The task “%(task)s” of %(unit)s is due on %(date)s.") % context
            sent[stage] += notify(users=recipients[task.pk], title=title, body=body, url=task.get_absolute_url(),
                                  dedupe_key=f"campaigns.task.{task.pk}.{stage}")
    return sent
