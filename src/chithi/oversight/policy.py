"""Which actions a user may take on a case, a remedial work item or an evaluation now: the pages' buttons, the
views and the services all ask these, so nothing is offered and then refused.

Reading is narrower than elsewhere: inspection cases and evaluations are seen by the units' authorised roles
only — those that may export (admin, leader, secretary, staff), never a viewer — on either side of the case.
A member always sees their own individual evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, scope_paths
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import (
    Case,
    CaseKind,
    CaseStatus,
    Evaluation,
    EvaluationStatus,
    Programme,
    ProgrammeItem,
    Remedy,
    RemedyStatus,
)

# The "authorised roles" of issue 12: every role that may export, not a plain viewer. The models declare it as their
# read_action (core.permissions.read_action), so the pages, the API and the change log read the same rule.
SEE = Case.read_action

EDIT = "edit"
EXTEND = "extend"
SELF_REPORT = "self_report"
CONCLUDE = "conclude"
RECOMMEND = "recommend"
PULL_EVIDENCE = "pull_evidence"
REPORT = "report"
VERIFY = "verify"
SCORE = "score"
PROPOSE = "propose"
DECIDE = "decide"


ADD_ITEM = "add_item"
OPEN_CASE = "open_case"


class ProgrammePolicy(ObjectPolicy[Programme]):
    """The inspecting unit keeps its programme: edits it and adds to it."""

    def decide(self, user: Any, obj: Programme) -> Mapping[str, Decision]:
        if not allowed_on_path(user, SEE, obj.organisation.path):
            return {EDIT: OUT_OF_SCOPE, ADD_ITEM: OUT_OF_SCOPE}
        own = ALLOW if allowed_on_path(user, Action.CHANGE, obj.organisation.path) else refuse(
            _("Only the inspecting unit can do this."))
        return {EDIT: own, ADD_ITEM: own}


class ItemPolicy(ObjectPolicy[ProgrammeItem]):
    """An item is edited until its case is opened; then the case carries it."""

    def decide(self, user: Any, obj: ProgrammeItem) -> Mapping[str, Decision]:
        own = PROGRAMME.decide(user, obj.programme)[EDIT]
        if not own:
            return {EDIT: own, OPEN_CASE: own}
        # hasattr reads the reverse one-to-one (cached when the list selected it): a case exists or not
        opened = refuse(_("The case of this item is already opened; edit the case.")) \
            if hasattr(obj, "case") else ALLOW
        return {EDIT: opened, OPEN_CASE: opened}


def sees_case(user: Any, case: Case) -> bool:
    return allowed_on_path(user, SEE, case.inspecting.path) or allowed_on_path(user, SEE, case.inspected_unit.path)


class CasePolicy(ObjectPolicy[Case]):
    def decide(self, user: Any, obj: Case) -> Mapping[str, Decision]:
        if not sees_case(user, obj):
            return dict.fromkeys((EDIT, EXTEND, SELF_REPORT, CONCLUDE, RECOMMEND, PULL_EVIDENCE), OUT_OF_SCOPE)
        inspecting = allowed_on_path(user, Action.CHANGE, obj.inspecting.path)
        # The self-report is the inspected body's own: the inspecting unit (whose rights cover the inspected
        # subtree too) does not write it for them; only a superuser may, e.g. to load a paper report.
        inspected = allowed_on_path(user, Action.CHANGE, obj.inspected_unit.path) and (
            not inspecting or scope_paths(user, Action.CHANGE) is None)
        closed = refuse(_("The case is closed."))
        not_yours = refuse(_("Only the inspecting unit can do this."))
        lead = (closed if obj.status == CaseStatus.CLOSED else ALLOW) if inspecting else not_yours
        open_only = refuse(_("The case is already concluded.")) if obj.status != CaseStatus.OPEN else lead
        return {
            EDIT: open_only if inspecting else not_yours,
            EXTEND: open_only if inspecting else not_yours,
            SELF_REPORT: (refuse(_("The case is already concluded.")) if obj.status != CaseStatus.OPEN else ALLOW)
            if inspected else refuse(_("Only the inspected unit can do this.")),
            CONCLUDE: open_only,
            RECOMMEND: (refuse(_("Record the conclusions first.")) if obj.status == CaseStatus.OPEN else lead),
            PULL_EVIDENCE: (refuse(_("Only an inspection of a directive's implementation pulls evidence."))
                            if obj.kind != CaseKind.DIRECTIVE else open_only),
        }


class RemedyPolicy(ObjectPolicy[Remedy]):
    def decide(self, user: Any, obj: Remedy) -> Mapping[str, Decision]:
        if not sees_case(user, obj.case):
            return {REPORT: OUT_OF_SCOPE, VERIFY: OUT_OF_SCOPE}
        done = refuse(_("This remedial work is already closed."))
        report = ALLOW if allowed_on_path(user, Action.CHANGE, obj.owner_unit.path) else refuse(
            _("Only the unit in charge can report it."))
        verify = ALLOW if allowed_on_path(user, Action.CHANGE, obj.case.inspecting.path) else refuse(
            _("Only the inspecting unit can do this."))
        if obj.status == RemedyStatus.VERIFIED:
            return {REPORT: done, VERIFY: done}
        if obj.status == RemedyStatus.OPEN and verify:
            verify = refuse(_("The unit in charge has not reported it done yet."))
        return {REPORT: report, VERIFY: verify}


def own_evaluation(user: Any, obj: Evaluation) -> bool:
    return obj.person_id is not None and getattr(user, "person_id", None) == obj.person_id


def sees_evaluation(user: Any, obj: Evaluation) -> bool:
    return own_evaluation(user, obj) or allowed_on_path(user, SEE, obj.organisation.path)


class EvaluationPolicy(ObjectPolicy[Evaluation]):
    def decide(self, user: Any, obj: Evaluation) -> Mapping[str, Decision]:
        if not sees_evaluation(user, obj):
            return {SCORE: OUT_OF_SCOPE, PROPOSE: OUT_OF_SCOPE, DECIDE: OUT_OF_SCOPE}
        final = refuse(_("The evaluation is approved; it is final."))
        if obj.status == EvaluationStatus.APPROVED:
            return {SCORE: final, PROPOSE: final, DECIDE: final}
        collective = allowed_on_path(user, Action.CHANGE, obj.organisation.path)
        parent = obj.organisation.parent
        above = parent is not None and _strictly_above(user, obj)
        proposed = obj.status == EvaluationStatus.PROPOSED
        score = (ALLOW if (own_evaluation(user, obj) or collective) else refuse(
            _("Only the member or their party organisation can score this form.")))
        if proposed:
            score = refuse(_("The evaluation is proposed; the level above decides now."))
        return {
            SCORE: score,
            PROPOSE: (refuse(_("Already proposed.")) if proposed else ALLOW) if collective
            else refuse(_("Only the party organisation proposes.")),
            DECIDE: (ALLOW if proposed else refuse(_("The collective has not proposed a level yet.")))
            if above else refuse(_("Only the level above decides.")),
        }


def _strictly_above(user: Any, obj: Evaluation) -> bool:
    """The user's authority reaches the evaluated organisation from a unit above it."""
    paths = scope_paths(user, Action.CHANGE)
    if paths is None:
        return True
    return any(obj.organisation.path.startswith(p) and p != obj.organisation.path for p in paths)


PROGRAMME = ProgrammePolicy()
ITEM = ItemPolicy()
CASE = CasePolicy()
REMEDY = RemedyPolicy()
EVALUATION = EvaluationPolicy()
