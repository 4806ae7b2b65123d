"""Demo data: the 2026 six-month reports of the wards' cells and of the wards to Tỉnh ủy Quảng Trị (one cell late),
the province's compiled report with its number and document, and the 2026 annual round in progress."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from chithi.core.demo import DemoContext
from chithi.grassroots.demo import WARD_CODES
from chithi.orgs.models import Organisation, OrgKind

from . import services
from .models import DocumentNumber, Report, ReportKind, ReportStatus, Round

SECTION_TEXT = {
    "I": "Ngay từ đầu năm, {unit} đã ban hành kế hoạch thực hiện Chỉ thị 05-CT/TW và chuyên đề năm 2026; "
         "phân công cấp ủy viên phụ trách từng nhiệm vụ, đưa nội dung học tập và làm theo Bác vào sinh hoạt "
         "định kỳ.",
    "II": "Các nhiệm vụ trong kế hoạch cơ bản hoàn thành đúng tiến độ; sinh hoạt chi bộ duy trì đều đặn, chất lượng "
          "sinh hoạt chuyên đề được nâng lên; các mô hình \"dân vận khéo\" tiếp tục được nhân rộng; phản ánh, kiến "
          "nghị của người dân được tiếp nhận và trả lời kịp thời.",
    "III": "Ưu điểm: cấp ủy quan tâm lãnh đạo, đảng viên gương mẫu. Hạn chế: một số nhiệm vụ còn chậm, việc cập "
           "nhật kết quả trên phần mềm chưa thường xuyên. Nguyên nhân chủ yếu do khối lượng công việc lớn. "
           "Bài học: bám sát cơ sở, phân công rõ người, rõ việc.",
    "IV": "Tiếp tục đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với nhiệm vụ "
          "chính trị của địa phương; hoàn thành các nhiệm vụ còn lại của kế hoạch năm.",
    "V": "Đề nghị cấp trên tiếp tục hướng dẫn, tập huấn nghiệp vụ và hỗ trợ kinh phí cho các mô hình điểm.",
}


def _write(ctx: DemoContext, report: Report) -> Report:
    sections = {key: text.format(unit=report.organisation.name) for key, text in SECTION_TEXT.items()}
    drawn = f"Đồng chí {ctx.rng.choice(['Hùng', 'Lan', 'Nam', 'Hoa', 'Tâm'])}"  # drawn still: later seeds keep theirs
    return services.update_report(actor=ctx.actor, report=report, sections=sections,
                                  signer_name=_head_of(report.organisation) or drawn)


def _head_of(unit: Organisation) -> str:
    """Who signs for the unit: its secretary (or head) on the roster today. "Đồng chí Lan" signed the merged ward's
    report, whose secretary is another person."""
    from chithi.orgs.models import Membership
    from chithi.orgs.selectors import post_rank

    head = (Membership.objects.filter(organisation=unit, until__isnull=True).annotate(rank=post_rank())
            .filter(rank=0).select_related("person").order_by("person__sort_key").first())
    return head.person.full_name if head is not None else ""


def _own(round_id: int) -> Report:
    return Report.objects.get(round_id=round_id, compiled=True, version=1)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A time in office hours on that day, in the installation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59))))


def _date_the_six_month_work(year: int, begun: dt.datetime) -> None:
    """The six-month rounds ran in June and July; the services stamped them with the load's time. Every report read
    "sent 29/11/2026" against a deadline of 05/07, and the province's document was dated November for a report on
    January to June. The rounds are opened in mid-June, the cells report before the wards' deadline, the wards
    before the province's, and the province signs on its deadline. A random sequence of its own, so the seeders
    after this one draw what they drew before."""
    from chithi.core.models import Notification

    rng = random.Random(20260705)
    for round_ in Round.objects.filter(kind=ReportKind.SIX_MONTH, period_end=dt.date(year, 6, 30)):
        deadline = round_.deadline
        opened = _at(deadline - dt.timedelta(days=rng.randint(20, 25)), rng)
        Round.objects.filter(pk=round_.pk).update(created_at=opened, updated_at=opened)
        for report in Report.objects.filter(round=round_):
            sent = decided = None
            if report.compiled and report.status == ReportStatus.ACCEPTED:
                sent = decided = _at(deadline, rng)  # the compiled report is signed on the deadline
            elif report.submitted_at is not None:
                # a ward's cells report in the week before its deadline (05/07), the wards after them (by 10/07)
                early = 8 if round_.organisation.kind == OrgKind.WARD_COMMITTEE else 4
                sent = _at(deadline - dt.timedelta(days=rng.randint(1, early)), rng)
                decided = sent + dt.timedelta(hours=rng.randint(2, 30)) if report.decided_at else None
            Report.objects.filter(pk=report.pk).update(
                created_at=opened, updated_at=decided or sent or opened, submitted_at=sent, decided_at=decided,
                rendered_at=sent if report.rendered_at else None)
            if sent is not None:
                DocumentNumber.objects.filter(report=report).update(registered_at=sent)
    # What they notified (requests, reports sent, accepted) was read then, not waiting today beside the annual
    # round's request (a ward secretary's bell counted every cell's July report).
    july = _at(dt.date(year, 7, 10), rng)
    Notification.objects.filter(created_at__gte=begun, read_at__isnull=True).update(created_at=july, read_at=july)


def seed_reports(ctx: DemoContext) -> None:
    begun = timezone.now()
    # The wards of today's tree (grassroots' demo codes) and the committee they stand under.
    first_ward = Organisation.objects.filter(code__in=WARD_CODES, kind=OrgKind.WARD_COMMITTEE,
                                             dissolved_on__isnull=True).select_related("parent").first()
    if first_ward is None or first_ward.parent is None:
        return
    province = first_ward.parent
    wards = services.sub_units(province)
    year = 2026
    late_cell = None
    for index, ward in enumerate(wards):
        if not services.sub_units(ward):
            continue
        round_ = services.open_round(actor=ctx.actor, unit=ward, kind=ReportKind.SIX_MONTH,
                                     title=f"Sơ kết 6 tháng đầu năm {year} — {ward.name}",
                                     period_start=dt.date(year, 1, 1), period_end=dt.date(year, 6, 30),
                                     deadline=dt.date(year, 7, 5))
        for report in Report.objects.filter(round=round_, compiled=False).select_related("organisation"):
            if late_cell is None and index == 0:
                late_cell = report  # one cell has not reported: it shows as late, with reminders
                continue
            report = services.submit_report(actor=ctx.actor, report=_write(ctx, report))
            services.accept_report(actor=ctx.actor, report=report)
        own = services.compile_report(actor=ctx.actor, report=_own(round_.pk))
        services.update_report(actor=ctx.actor, report=own, summary=f"Sơ kết 6 tháng đầu năm {year}")
    province_round = services.open_round(
        actor=ctx.actor, unit=province, kind=ReportKind.SIX_MONTH,
        title=f"Sơ kết 6 tháng đầu năm {year} thực hiện Chỉ thị 05-CT/TW", period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 6, 30), deadline=dt.date(year, 7, 10))
    for report in Report.objects.filter(round=province_round, compiled=False).select_related("organisation"):
        report = services.submit_report(actor=ctx.actor, report=_write(ctx, report))
        services.accept_report(actor=ctx.actor, report=report)
    own = services.compile_report(actor=ctx.actor, report=_own(province_round.pk))
    own = services.update_report(actor=ctx.actor, report=own,
                                 summary="Sơ kết 6 tháng đầu năm 2026 thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị",
                                 signer_name=_head_of(province) or "Đồng chí Nguyễn Văn Hùng", place="Đông Hà")
    own = services.submit_report(actor=ctx.actor, report=own)
    services.register_number(actor=ctx.actor, report=own)
    services.render_document(actor=ctx.actor, report=own)
    # A round whose every report came in was closed in July; the first ward's waits on its late cell. Open in
    # November, they all read as work still to do.
    for round_ in Round.objects.filter(kind=ReportKind.SIX_MONTH, period_end=dt.date(year, 6, 30)):
        if not Report.objects.filter(round=round_, compiled=False, submitted_at__isnull=True).exists():
            services.close_round(actor=ctx.actor, round_=round_)
    _date_the_six_month_work(year, begun)
    annual = services.open_round(actor=ctx.actor, unit=province, kind=ReportKind.ANNUAL,
                                 title=f"Tổng kết năm {year} thực hiện Chỉ thị 05-CT/TW",
                                 period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                                 deadline=dt.date(year, 12, 15))
    first = Report.objects.filter(round=annual, compiled=False).order_by("organisation__sort_key").first()
    if first is not None:
        services.submit_report(actor=ctx.actor, report=_write(ctx, first))
