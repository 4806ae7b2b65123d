"""The restructuring hook (core.rooms successor_handler): a merged or split unit's unfinished articles carry on in
its successor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.orgs.models import Organisation

from ..models import Article, ArticleStatus


@transaction.atomic
def move_unpublished_to_successor(*, source: Organisation, successor: Organisation, effective_on: dt.date,
                                  actor: Any) -> None:
    """Drafts, articles waiting for review and articles scheduled for later go to the successor, at the step they
    were at: the ceased unit's staff have no role left and the successor's could not finish them. What was
    published stays with the unit that published it, as it was read."""
    unfinished = Q(status__in=[ArticleStatus.DRAFT, ArticleStatus.REVIEW]) | Q(
        status=ArticleStatus.PUBLISHED, published_at__gt=timezone.now())
    for article in Article.objects.filter(unfinished, organisation=source):
        before = audit.snapshot(article)
        article.organisation = successor
        article.save(update_fields=["organisation", "updated_at"])
        # On the ceased unit's history too: that is where someone looks for what became of its articles.
        audit.record(action=AuditAction.MOVE, obj=article, before=before, after=audit.snapshot(article),
                     actor=actor, note=_("moved from %(org)s") % {"org": source.name}, related=source)
