"""Đông Hà demo for oversight (the demo's present is 2025–2026, after the two-level reform): the 2026 inspection
programme of Đảng ủy phường Đông Hà with its cases (one a Chỉ thị 05 implementation inspection whose remedial
work is partly overdue), a discipline record, the 2025 evaluation round with collective and member forms at
every step, and commendations of the ward, a person and a practice. An inspector account (the ward's
inspection commission) joins the demo accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from chithi.core.demo import DemoContext
from chithi.core.models import User
from chithi.core.permissions import Role
from chithi.orgs import services as orgs
from chithi.orgs.models import Membership, Organisation, OrgKind, Person
from chithi.practices.models import Practice

from . import services
from .models import CaseKind, EvaluationStatus, FormKind, Level, Round


def _cells(ward: Organisation) -> list[Organisation]:
    return list(Organisation.objects.filter(path__startswith=ward.path, kind=OrgKind.PARTY_CELL,
                                            dissolved_on__isnull=True).order_by("sort_key"))


def _members(cell: Organisation) -> list[Person]:
    return [m.person for m in Membership.objects.filter(organisation=cell, until__isnull=True,
                                                        person__is_party_member=True)
            .select_related("person").order_by("person__sort_key")]


def seed_oversight(ctx: DemoContext) -> None:
    actor = ctx.actor
    ward = Organisation.objects.get(code="19333", dissolved_on__isnull=True)
    cells = _cells(ward)
    secretary = User.objects.filter(username="demo.bithuchibo").first()
    home = secretary.role_assignments.first().organisation if secretary else cells[0]  # type: ignore[union-attr]
    others = [c for c in cells if c.pk != home.pk]
    ward_people = [m.person for m in Membership.objects.filter(organisation=ward, until__isnull=True)
                   .select_related("person")[:3]] or _members(others[0])[:2]

    # The inspector: staff of the ward's inspection commission (Ủy ban Kiểm tra Đảng ủy phường).
    inspector = User.objects.create_user(username="demo.kiemtra", password=ctx.data["password"],
                                         first_name="Ủy ban Kiểm tra Đảng ủy phường Đông Hà",
                                         email="demo.kiemtra@demo.chithi.vn")
    orgs.assign_role(actor=actor, user=inspector, organisation=ward, role=Role.STAFF)
    # The account is a member of the commission (its page, its cases), not the commission's office.
    commissioner = Person.objects.filter(memberships__organisation__parent=ward, memberships__until__isnull=True,
                                         memberships__organisation__short_name="Ủy ban Kiểm tra Đảng ủy",
                                         memberships__position="Ủy viên").first()
    if commissioner is not None and not User.objects.filter(person=commissioner).exists():
        inspector.person = commissioner
        inspector.save(update_fields=["person"])

    # The supervision under way is a recent one, whatever day the demo is loaded: one decided in April 2026 was
    # still "under way" in November, six months past its time limit, on every leader's home page.
    today = timezone.localdate()
    decided = max(dt.date(2026, 1, 5), min(today - dt.timedelta(days=12), dt.date(2026, 12, 10)))
    supervision_quarter = (decided.month - 1) // 3 + 1
    quarter_start = dt.date(decided.year, 3 * (supervision_quarter - 1) + 1, 1)
    period_end = quarter_start - dt.timedelta(days=1)
    period_start = dt.date(period_end.year, period_end.month - 2, 1)
    programme = services.create_programme(
        actor=actor, organisation=ward, year=2026, number="05-CTr/ĐU",
        title="Chương trình kiểm tra, giám sát năm 2026 của Đảng ủy phường Đông Hà")
    plan = [
        (home, CaseKind.DIRECTIVE, 1, "Kiểm tra việc thực hiện Chỉ thị 05-CT/TW và Kết luận 01-KL/TW "
                                      "(6 tháng cuối năm 2025)"),
        (others[0], CaseKind.REGULAR_SUPERVISION, supervision_quarter,
         "Giám sát việc thực hiện chế độ sinh hoạt chi bộ hằng tháng"),
        (others[1], CaseKind.THEMATIC_SUPERVISION, 3, "Giám sát chuyên đề việc giải quyết phản ánh, kiến nghị "
                                                      "của Nhân dân"),
        (others[2], CaseKind.DIRECTIVE, 4, "Kiểm tra việc thực hiện kế hoạch năm 2026 theo chủ đề năm"),
    ]
    items = [services.add_item(actor=actor, programme=programme, target_unit=unit, kind=kind, quarter=q,
                               content=content) for unit, kind, q, content in plan]

    # 1. A Chỉ thị 05 inspection of the demo cell: concluded, remedial work partly verified, one item overdue.
    case = services.open_case(
        actor=actor, inspecting=ward, inspected_unit=home, item=items[0], kind=CaseKind.DIRECTIVE,
        decision_number="03-QĐ/ĐU", decided_on=dt.date(2026, 3, 2), signatory="Bí thư Đảng ủy phường Đông Hà",
        subject=items[0].content, period_start=dt.date(2025, 7, 1), period_end=dt.date(2025, 12, 31),
        starts_on=dt.date(2026, 3, 9), team=ward_people)
    case = services.submit_self_report(actor=actor, case=case, text=(
        "Chi bộ đã quán triệt Chỉ thị 05-CT/TW và chủ đề năm 2025; 100% đảng viên đăng ký bản cam kết làm theo "
        "Bác. Sinh hoạt chi bộ duy trì hằng tháng, có lồng ghép nội dung học tập và làm theo Bác. Hạn chế: một số "
        "nhiệm vụ của kế hoạch hoàn thành chậm; tỷ lệ đảng viên dự sinh hoạt có tháng chưa đạt."))
    case = services.pull_evidence(actor=actor, case=case)
    case = services.conclude_case(
        actor=actor, case=case, concluded_on=dt.date(2026, 3, 27),
        findings="Chi bộ thực hiện nghiêm túc việc học tập chuyên đề năm; biên bản sinh hoạt có nội dung liên hệ "
                 "cá nhân. Còn 2 nhiệm vụ của kế hoạch năm 2025 hoàn thành sau hạn; chưa đánh giá bản cam kết "
                 "của một số đảng viên.",
        conclusions="Chi bộ thực hiện tốt Chỉ thị 05-CT/TW; cần khắc phục việc chậm tiến độ và hoàn thành đánh "
                    "giá bản cam kết.")
    members = _members(home)
    first = services.add_recommendation(actor=actor, case=case, deadline=dt.date(2026, 5, 31),
                                        owner_person=members[0] if members else None,
                                        recommendation="Hoàn thành đánh giá bản cam kết năm 2025 của tất cả đảng viên.")
    services.add_recommendation(actor=actor, case=case, deadline=dt.date(2026, 10, 31),
                                owner_person=members[1] if len(members) > 1 else None,
                                recommendation="Rà soát, bổ sung giải pháp cho các nhiệm vụ chậm tiến độ; báo cáo "
                                               "Đảng ủy phường.")
    first = services.report_remedy(actor=actor, remedy=first, report="Đã đánh giá tại kỳ sinh hoạt tháng 5/2026.")
    services.verify_remedy(actor=actor, remedy=first)
    services.escalate_overdue(today=dt.date(2026, 11, 20))

    # 2. A regular supervision under way (self-report in, not concluded).
    supervised = _members(others[0])
    second = services.open_case(
        actor=actor, inspecting=ward, inspected_unit=others[0], item=items[1],
        kind=CaseKind.REGULAR_SUPERVISION, decision_number="02-QĐ/ĐU", decided_on=decided,
        signatory="Phó Bí thư Thường trực Đảng ủy phường", subject=items[1].content,
        period_start=period_start, period_end=period_end, starts_on=decided + dt.timedelta(days=4),
        team=ward_people[:2], inspected_person=supervised[0] if supervised else None)
    second = services.submit_self_report(
        actor=actor, case=second,
        text=f"Chi bộ sinh hoạt đủ 3 kỳ trong quý {('I', 'II', 'III', 'IV')[(period_end.month - 1) // 3]}"
             f"/{period_end.year}.")
    services.extend_case(actor=actor, case=second, days=5,
                         reason=f"Chờ bổ sung biên bản sinh hoạt tháng {period_end.month}.")

    # A discipline of 2025 in another cell: the evaluation's capping conditions read it.
    other_members = _members(others[1])
    if other_members:
        services.record_discipline(actor=actor, organisation=others[1], person=other_members[-1],
                                   form="reprimand", decision_number="11-QĐ/ĐU", decided_on=dt.date(2025, 10, 15),
                                   note="Vi phạm quy định về những điều đảng viên không được làm")

    # The 2025 evaluation, opened by the ward: collectives and members at every step.
    round_ = services.open_round(actor=actor, organisation=ward, year=2025, deadline=dt.date(2026, 1, 15))
    rng = ctx.rng
    member_user = User.objects.filter(username="demo.dangvien").select_related("person").first()
    member = member_user.person if member_user is not None else None
    for n, cell in enumerate(cells[:6]):
        _evaluate(actor, round_, cell, None, FormKind.COLLECTIVE, decide=n != 0, high=n % 2 == 0)
        people = [p for p in _members(cell)[:8] if member is None or p.pk != member.pk]
        for m, person in enumerate(people):
            draft = cell.pk == home.pk and m == len(people) - 1  # one member still filling the form
            _evaluate(actor, round_, cell, person, rng.choice([FormKind.MEMBER, FormKind.CADRE]),
                      decide=not draft, high=rng.random() < 0.4, draft=draft)
    # The demo member's own form, started and left for them to fill (their cell is in the ward).
    if member is not None:
        cell_of = Membership.objects.filter(person=member, until__isnull=True,
                                            organisation__path__startswith=ward.path).first()
        if cell_of is not None:
            services.start_evaluation(actor=actor, round=round_, organisation=cell_of.organisation, person=member,
                                      form_kind=FormKind.MEMBER)

    # Commendations: the ward, a member, a practice of the ward.
    services.add_award(actor=actor, organisation=ward, form="Bằng khen của Ban Thường vụ Tỉnh ủy",
                       level="province", decision_number="1520-QĐ/TU", awarded_on=dt.date(2026, 2, 3),
                       issuer="Ban Thường vụ Tỉnh ủy Quảng Trị")
    if members:
        services.add_award(actor=actor, organisation=home, person=members[0],
                           form="Giấy khen đảng viên hoàn thành xuất sắc nhiệm vụ 5 năm liền", level="ward",
                           decision_number="45-QĐ/ĐU", awarded_on=dt.date(2026, 1, 28),
                           issuer="Đảng ủy phường Đông Hà")
    practice = Practice.objects.filter(organisation__path__startswith=ward.path).first()
    if practice is not None:
        services.add_award(actor=actor, organisation=practice.organisation, practice=practice,
                           form="Giấy khen mô hình tiêu biểu học tập và làm theo Bác", level="ward",
                           decision_number="46-QĐ/ĐU", awarded_on=dt.date(2026, 1, 28))


def _evaluate(actor: object, round_: Round, cell: Organisation, person: Person | None, form_kind: str, *,
              decide: bool, high: bool, draft: bool = False) -> None:
    evaluation = services.start_evaluation(actor=actor, round=round_, organisation=cell, person=person,
                                           form_kind=form_kind)
    for criterion in services.criteria_of(evaluation):
        share = Decimal("0.95") if high else Decimal("0.8")
        services.set_score(actor=actor, evaluation=evaluation, criterion=criterion,
                           points=(criterion.max_points * share).quantize(Decimal("0.5")))
    if draft:
        return
    evaluation.refresh_from_db()
    facts = services.facts_for(evaluation, tasks_exceeded=0)
    best, _why = services.best_level(evaluation.round.frame, evaluation.total, facts)
    services.propose(actor=actor, evaluation=evaluation, level=best)
    if decide:
        evaluation.refresh_from_db()
        services.decide(actor=actor, evaluation=evaluation, level=best)
    assert evaluation.status in (EvaluationStatus.DRAFT, EvaluationStatus.PROPOSED, EvaluationStatus.APPROVED)
    assert best in Level.values
