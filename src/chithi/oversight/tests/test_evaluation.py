"""The annual evaluation: scores in range with reasons, levels the points and the frame's conditions allow,
the collective proposes, the level above decides, final once approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chithi.campaigns.models import TaskStatus
from chithi.core.models import AuditEntry
from chithi.oversight import services
from chithi.oversight.models import Criterion, EvaluationStatus, Level, Score
from chithi.oversight.tests import factories

pytestmark = pytest.mark.django_db


def test_the_frame_is_data_of_100_points(world):
    rnd = factories.round_(world)
    criteria = list(rnd.frame.criteria.all())
    common = sum(c.max_points for c in criteria if c.group == "common")
    for kind in ("collective", "2A", "2B", "2C"):
        total = sum(c.max_points for c in criteria if f",{kind}," in c.forms)
        assert total == 100, kind
    assert common == 30


def test_score_outside_the_range_is_refused(world):
    evaluation = factories.evaluation(world, factories.round_(world), points="0")
    criterion = services.criteria_of(evaluation)[0]
    with pytest.raises(ValidationError, match="từ 0 đến"):
        services.set_score(actor=world.user("admin"), evaluation=evaluation, criterion=criterion,
                           points=criterion.max_points + 1)
    with pytest.raises(ValidationError, match="từ 0 đến"):
        services.set_score(actor=world.user("admin"), evaluation=evaluation, criterion=criterion, points=-1)
    assert Score.objects.get(evaluation=evaluation, criterion=criterion).points == 0


def test_changing_a_score_needs_a_reason(world):
    evaluation = factories.evaluation(world, factories.round_(world), points="0.5")
    criterion = services.criteria_of(evaluation)[0]
    with pytest.raises(ValidationError, match="Nêu lý do"):
        services.set_score(actor=world.user("admin"), evaluation=evaluation, criterion=criterion, points=1)
    services.set_score(actor=world.user("admin"), evaluation=evaluation, criterion=criterion, points=1,
                       reason="Bổ sung minh chứng")
    evaluation.refresh_from_db()
    assert evaluation.total == sum(s.points for s in Score.objects.filter(evaluation=evaluation))


def test_a_level_the_points_do_not_allow_is_refused(world):
    evaluation = factories.evaluation(world, factories.round_(world), points="0.75")  # 75 points
    with pytest.raises(ValidationError, match="Không thể xếp loại"):
        services.propose(actor=world.user("cell_secretary"), evaluation=evaluation, level=Level.EXCELLENT)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and not evaluation.proposed_level
    services.propose(actor=world.user("cell_secretary"), evaluation=evaluation, level=Level.GOOD)


def test_conditions_cap_the_level(world):
    """Excellent and good need every task on time: one late task in five caps 95 points at 'completed' (at most
    20% late); two late in five is not completed."""
    on_time = [(dt.date(2025, 5, 1), TaskStatus.DONE, dt.date(2025, 4, 1))] * 4
    factories.tasks_2025(world.cell_a1, [*on_time, (dt.date(2025, 5, 1), TaskStatus.DONE, dt.date(2025, 6, 1))])
    evaluation = factories.evaluation(world, factories.round_(world))
    assert evaluation.total >= 90
    with pytest.raises(ValidationError, match="đúng hạn"):
        services.propose(actor=world.user("admin"), evaluation=evaluation, level=Level.EXCELLENT, tasks_exceeded=1)
    best, _why = services.best_level(evaluation.round.frame, evaluation.total, services.facts_for(evaluation))
    assert best == Level.DONE
    factories.tasks_2025(world.cell_a2, [(dt.date(2025, 5, 1), TaskStatus.PLANNED, None)])
    other = factories.evaluation(world, evaluation.round, unit=world.cell_a2)
    best, _why = services.best_level(other.round.frame, other.total, services.facts_for(other))
    assert best == Level.NOT_DONE


def test_discipline_in_the_year_caps_excellent(world):
    services.record_discipline(actor=world.user("admin"), organisation=world.cell_a1, person=world.person_a1,
                               form="reprimand", decision_number="7-QĐ/ĐU", decided_on=dt.date(2025, 4, 1))
    evaluation = factories.evaluation(world, factories.round_(world), person=world.person_a1)
    best, why = services.best_level(evaluation.round.frame, evaluation.total, services.facts_for(evaluation))
    assert best == Level.GOOD  # discipline in the year caps excellent
    assert why[Level.EXCELLENT]


def test_collective_proposes_the_level_above_decides_then_final(world):
    evaluation = factories.evaluation(world, factories.round_(world))
    with pytest.raises(ValidationError):  # nothing proposed yet
        services.decide(actor=world.user("secretary"), evaluation=evaluation, level=Level.GOOD)
    evaluation = services.propose(actor=world.user("cell_secretary"), evaluation=evaluation, level=Level.GOOD)
    with pytest.raises(ValidationError, match="cấp trên"):  # the cell cannot decide on itself
        services.decide(actor=world.user("cell_secretary"), evaluation=evaluation, level=Level.GOOD)
    evaluation = services.decide(actor=world.user("secretary"), evaluation=evaluation, level=Level.GOOD)
    assert evaluation.status == EvaluationStatus.APPROVED
    criterion = Criterion.objects.filter(frame=evaluation.round.frame).first()
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.set_score(actor=world.user("admin"), evaluation=evaluation, criterion=criterion, points=1,
                           reason="x")
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.decide(actor=world.user("admin"), evaluation=evaluation, level=Level.DONE)
    actions = set(AuditEntry.objects.filter(content_type__model="evaluation", object_id=str(evaluation.pk))
                  .values_list("action", flat=True))
    assert actions >= {"create", "update"}


def test_excellent_cap_is_off_until_a_frame_sets_it(world):
    rnd = factories.round_(world)
    first = services.propose(actor=world.user("admin"), evaluation=factories.evaluation(world, rnd),
                             level=Level.EXCELLENT)
    services.decide(actor=world.user("admin"), evaluation=first, level=Level.EXCELLENT)
    rnd.frame.excellent_cap_percent = 20
    rnd.frame.save()
    second = factories.evaluation(world, rnd, unit=world.cell_a2)
    second = services.propose(actor=world.user("admin"), evaluation=second, level=Level.EXCELLENT)
    # cell A2's collectives: one evaluated, rated excellent would be 100% > 20%
    with pytest.raises(ValidationError, match="Tối đa 20%"):
        services.decide(actor=world.user("admin"), evaluation=second, level=Level.EXCELLENT)


def test_a_member_fills_their_own_form_only(world):
    from chithi.orgs.tests.factories import UserFactory

    member = UserFactory(username="member", person=world.person_a1)
    rnd = factories.round_(world)
    own = services.start_evaluation(actor=member, round=rnd, organisation=world.cell_a1, person=world.person_a1,
                                    form_kind="2C")
    criterion = services.criteria_of(own)[0]
    services.set_score(actor=member, evaluation=own, criterion=criterion, points=Decimal(5))
    other = factories.evaluation(world, rnd)
    with pytest.raises(PermissionDenied):
        services.set_score(actor=member, evaluation=other, criterion=criterion, points=Decimal(5))
