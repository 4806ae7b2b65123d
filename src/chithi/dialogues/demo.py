"""Demo data: issue categories, the 2020 dialogues in Đông Hà's wards (the year's theme: leaders in
dialogue with residents on site clearance, urban order, urban civilisation and livelihoods) with the
issues raised there, a few hundred recent issues from every channel in every state, some overdue, and the
dialogues the new wards have held since the 2025 merger.

A representative part goes through the services (intake, every workflow step, escalation); the
2020 history is finished in bulk so the demo loads in a few seconds."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from chithi.core.demo import DemoContext
from chithi.core.workdays import working_days_elapsed
from chithi.orgs.models import Organisation, OrgKind, Person

from . import services
from .models import EventKind, Issue, IssueCategory, IssueChannel, IssueEvent, IssueStatus

CATEGORIES = [
    # (code, name, group, ack, answer, keywords)
    ("gpmb", "Giải phóng mặt bằng, bồi thường, tái định cư", "Đất đai", 3, 15, "đền bù, tái định cư"),
    ("trat-tu-do-thi", "Trật tự đô thị, lấn chiếm vỉa hè", "Đô thị", 2, 10, "vỉa hè, lòng đường, xây dựng"),
    ("van-minh-do-thi", "Văn minh đô thị, vệ sinh môi trường", "Đô thị", 2, 10, "rác, cống, tiếng ồn"),
    ("ha-tang", "Hạ tầng, giao thông, chiếu sáng", "Đô thị", 2, 15, "đường, đèn, ngập"),
    ("dan-sinh", "Đời sống, an sinh xã hội", "Dân sinh", 2, 10, "hộ nghèo, chính sách, việc làm"),
    ("thu-tuc", "Thủ tục hành chính", "Hành chính", 1, 7, "hồ sơ, giấy tờ, cư trú"),
    ("an-ninh", "An ninh trật tự", "An ninh", 1, 5, "trộm cắp, gây rối"),
    ("khac", "Góp ý khác", "Khác", 3, 15, ""),
]

DESCRIPTIONS = {
    "gpmb": ["Gia đình chưa nhận được tiền bồi thường khi mở rộng đường Lê Duẩn",
             "Đề nghị xem xét lại đơn giá đền bù đất vườn liền kề",
             "Khu tái định cư chưa có đường điện, nước sinh hoạt"],
    "trat-tu-do-thi": ["Quán ăn lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường",
                       "Xe tải đỗ trên lòng đường cả đêm gây cản trở giao thông",
                       "Công trình xây dựng để vật liệu tràn ra đường"],
    "van-minh-do-thi": ["Điểm tập kết rác tự phát cạnh chợ bốc mùi", "Karaoke gây ồn sau 22 giờ",
                        "Cống thoát nước bị tắc, nước thải tràn ra đường"],
    "ha-tang": ["Đèn đường hỏng nhiều ngày, khu phố tối om", "Mặt đường xuất hiện ổ gà lớn sau mưa",
                "Kiệt ngập sâu mỗi khi mưa lớn, đề nghị nâng cốt nền"],
    "dan-sinh": ["Đề nghị xem xét hỗ trợ hộ cận nghèo có người ốm nặng", "Người cao tuổi chưa nhận trợ cấp tháng này",
                 "Xin hỗ trợ học nghề cho thanh niên thất nghiệp trong khu phố"],
    "thu-tuc": ["Hồ sơ chuyển hộ khẩu quá hạn chưa được trả kết quả",
                "Đề nghị hướng dẫn thủ tục cấp đổi giấy chứng nhận",
                "Xin hỗ trợ làm thủ tục tại nhà cho người khuyết tật"],
    "an-ninh": ["Nhóm thanh niên tụ tập đua xe ban đêm", "Xảy ra trộm xe máy nhiều lần trong khu phố"],
    "khac": ["Đề nghị lắp thêm thiết bị tập thể dục ở công viên", "Góp ý về giờ mở cửa của bộ phận một cửa"],
}

# The answer to each description above, in the same order: a demo answer speaks of its own issue, and names
# no unit (the page signs it with the unit that answered).
ANSWERS = {
    "gpmb": ["Hội đồng bồi thường đã rà soát hồ sơ; khoản bồi thường sẽ được chi trả trong tháng này, đề nghị "
             "gia đình mang giấy tờ đến bộ phận một cửa để nhận.",
             "Đơn giá bồi thường áp dụng theo bảng giá đất của tỉnh; đã giải thích trực tiếp cho gia đình và sẽ "
             "đo đạc lại phần diện tích đất vườn liền kề.",
             "Đã đề nghị chủ đầu tư hoàn thiện đường điện, nước sinh hoạt tại khu tái định cư trước cuối quý."],
    "trat-tu-do-thi": ["Tổ quản lý trật tự đô thị đã kiểm tra, lập biên bản; chủ quán đã cam kết không lấn chiếm "
                       "vỉa hè.",
                       "Đã phối hợp với công an phường nhắc nhở, xử lý xe tải đỗ sai quy định; sẽ tiếp tục kiểm tra "
                       "ban đêm.",
                       "Đã yêu cầu chủ công trình thu dọn vật liệu, che chắn đúng quy định trong 3 ngày."],
    "van-minh-do-thi": ["Đã phối hợp với công ty môi trường thu gom dứt điểm điểm rác cạnh chợ và cắm biển cấm "
                        "đổ rác.",
                        "Đã nhắc nhở chủ cơ sở karaoke, yêu cầu tắt nhạc trước 22 giờ; tổ dân phố tiếp tục theo dõi.",
                        "Đã nạo vét, khơi thông cống thoát nước; nước thải không còn tràn ra đường."],
    "ha-tang": ["Đã thay bóng và sửa tủ điện chiếu sáng; đèn đường trong khu phố đã sáng trở lại.",
                "Đã vá tạm ổ gà; tuyến đường được đưa vào kế hoạch sửa chữa quý tới.",
                "Kiến nghị nâng cốt nền kiệt đã được đưa vào kế hoạch đầu tư năm tới; trước mắt đã nạo vét rãnh "
                "thoát nước."],
    "dan-sinh": ["Đã rà soát và đề nghị hỗ trợ đột xuất cho gia đình theo chính sách an sinh của địa phương.",
                 "Trợ cấp tháng này đã được chi trả bổ sung; cán bộ chính sách đã đến tận nhà thông báo.",
                 "Đã giới thiệu các thanh niên đăng ký lớp học nghề miễn phí tại trung tâm giáo dục nghề nghiệp."],
    "thu-tuc": ["Hồ sơ chuyển hộ khẩu đã được giải quyết; cán bộ một cửa đã liên hệ để trả kết quả tại nhà.",
                "Bộ phận một cửa đã hướng dẫn chi tiết thành phần hồ sơ cấp đổi giấy chứng nhận qua điện thoại.",
                "Cán bộ một cửa đã đến tận nhà tiếp nhận hồ sơ cho người khuyết tật."],
    "an-ninh": ["Đã tăng cường tuần tra ban đêm, giải tán nhóm tụ tập và mời làm việc các thanh niên đua xe.",
                "Đã tiếp nhận tin báo, tăng cường tuần tra và hướng dẫn bà con cách phòng chống trộm cắp xe máy."],
    "khac": ["Kiến nghị lắp thêm thiết bị tập thể dục ở công viên đã được đưa vào kế hoạch năm tới.",
             "Bộ phận một cửa đã mở cửa thêm sáng thứ Bảy để bà con tiện làm thủ tục."],
}


def answer_for(issue: Issue) -> str:
    """The demo answer to this issue's description (the first of its category's for any other text)."""
    answers = ANSWERS[issue.category.code]
    descriptions = DESCRIPTIONS[issue.category.code]
    return answers[descriptions.index(issue.description)] if issue.description in descriptions else answers[0]


def police_unit() -> Organisation | None:
    """The city police's current unit, following a restructuring to its successor; None when it ended
    without one (then security issues stay with the ward, as other kinds do)."""
    unit = Organisation.objects.filter(name="Đảng ủy Công an thành phố Đông Hà").first()
    seen: set[int] = set()
    while unit is not None and not unit.is_active and unit.successor_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.successor
    return unit if unit is not None and unit.is_active else None


DIALOGUE_TOPICS = [
    "Đối thoại về công tác giải phóng mặt bằng các dự án trên địa bàn",
    "Đối thoại về trật tự đô thị và văn minh đô thị",
    "Đối thoại về đời sống, việc làm và an sinh xã hội của Nhân dân",
]


def _ward_leaders(ward: Organisation) -> list[Person]:
    return list(Person.objects.filter(memberships__organisation=ward).distinct().order_by("sort_key")[:3])


def seed_categories(ctx: DemoContext) -> None:
    police = police_unit()
    for order, (code, name, group, ack, answer, keywords) in enumerate(CATEGORIES):
        services.save_category(actor=ctx.actor, code=code, name=name, group=group, ack_days=ack, answer_days=answer,
                               keywords=keywords, sort_order=order, default_unit=police if code == "an-ninh" else None,
                               description=f"Phản ánh, kiến nghị về {name.lower()}.")


def _raise_at(ctx: DemoContext, rng: random.Random, dialogue: Any, codes: list[str], count: int, reporter: str,
              *, organisation: Organisation | None = None) -> list[Issue]:
    """`count` issues raised by residents at `dialogue`, of categories drawn from `codes`, received at 9:30 that day."""
    categories = {c.code: c for c in IssueCategory.objects.filter(code__in=codes)}
    received = timezone.make_aware(dt.datetime.combine(dialogue.held_on, dt.time(9, 30)))
    raised = []
    for _i in range(count):
        code = rng.choice(codes)
        raised.append(services.submit_issue(
            actor=ctx.actor, channel=IssueChannel.DIALOGUE, category=categories[code],
            description=rng.choice(DESCRIPTIONS[code]), dialogue=dialogue, received_at=received,
            reporter_name=reporter, consent_to_publish=rng.random() < 0.7, organisation=organisation))
    return raised


def seed_dialogues_2020(ctx: DemoContext) -> None:
    """Two dialogues in each pre-2025 ward in 2020, issues raised at each, handled in that year."""
    rng = ctx.rng
    old_wards = Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE, dissolved_on__isnull=False).order_by("name")
    finished: list[tuple[Issue, dt.datetime]] = []
    for ward in old_wards:
        leaders = _ward_leaders(ward)
        for number in range(2):
            held_on = dt.date(2020, rng.randint(3, 11), rng.randint(1, 28))
            area = ward.short_name or ward.name
            dialogue = services.create_dialogue(
                actor=ctx.actor, organisation=ward, title=rng.choice(DIALOGUE_TOPICS), held_on=held_on,
                place=f"Nhà văn hóa khu phố {number + 1}, {area.replace('Phường', 'phường')}", leaders=leaders,
                participants_count=rng.randint(40, 150),
                minutes=("Đồng chí Bí thư Đảng ủy chủ trì buổi đối thoại. Bà con nêu các kiến nghị về "
                         "giải phóng mặt bằng, trật tự đô thị, văn minh đô thị và đời sống. Lãnh đạo phường "
                         "trả lời trực tiếp tại buổi đối thoại và giao các bộ phận giải quyết những nội dung "
                         "còn lại."))
            received = timezone.make_aware(dt.datetime.combine(held_on, dt.time(9, 30)))
            codes = ["gpmb", "trat-tu-do-thi", "van-minh-do-thi", "dan-sinh", "ha-tang"]
            for issue in _raise_at(ctx, rng, dialogue, codes, rng.randint(4, 7), f"Hộ dân khu phố {number + 1}"):
                finished.append((issue, received))
    # The year's handling, written in bulk: accepted, assigned to the ward, answered, closed.
    events = []
    for issue, received in finished:
        ward_id = issue.dialogue.organisation_id if issue.dialogue else issue.organisation_id  # handled in 2020
        answered_at = received + dt.timedelta(days=rng.randint(3, 20), hours=rng.randint(1, 6))
        rng.randrange(5)  # was the random answer's draw: later seeders keep their seeded sequence
        Issue.objects.filter(pk=issue.pk).update(
            status=IssueStatus.CLOSED, acknowledged_at=received + dt.timedelta(days=1), due_on=None,
            organisation_id=ward_id, answer=answer_for(issue), answered_at=answered_at, answered_by_unit=ward_id,
            answer_working_days=working_days_elapsed(received, answered_at),
            closed_at=answered_at + dt.timedelta(days=16), rating=rng.choice([3, 4, 4, 5, 5, None]))
        for offset, kind in [(1, EventKind.ACCEPTED), (2, EventKind.ASSIGNED)]:
            events.append(IssueEvent(issue=issue, kind=kind, at=received + dt.timedelta(days=offset),
                                     actor_name="Văn phòng Đảng ủy phường", to_unit_id=ward_id))
        events.append(IssueEvent(issue=issue, kind=EventKind.ANSWERED, at=answered_at,
                                 actor_name="Văn phòng Đảng ủy phường", to_unit_id=ward_id))
        events.append(IssueEvent(issue=issue, kind=EventKind.CLOSED, at=answered_at + dt.timedelta(days=16)))
    IssueEvent.objects.bulk_create(events)


def seed_recent_issues(ctx: DemoContext) -> None:
    """About two hundred issues of the last three months from every channel, through the services."""
    rng = ctx.rng
    categories = list(IssueCategory.objects.order_by("sort_order"))
    new_wards = list(Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE, dissolved_on__isnull=True)
                     .order_by("name"))
    # The last three months are the two-level present: security issues go to the ward's own police (the wards'
    # bodies are the grassroots demo's), and the category sends the public's there, as the reform's merger of the
    # city police will; the city police that ended on 30/06/2025 answers none of them.
    police = {ward.pk: Organisation.objects.filter(parent=ward, kind=OrgKind.AGENCY, short_name="Công an",
                                                   dissolved_on__isnull=True).first() for ward in new_wards}
    present = next((unit for unit in police.values() if unit is not None), None)
    security = next((c for c in categories if c.code == "an-ninh"), None)
    if present is not None and security is not None:
        services.save_category(actor=ctx.actor, category=security, default_unit=present)
        categories = list(IssueCategory.objects.order_by("sort_order"))  # the saved one, not the copy read above
    client, _key = services.create_api_client(actor=ctx.actor, name="Ứng dụng Đông Hà trực tuyến",
                                              contact="cntt@dongha.example.vn")
    now = timezone.now()
    channels = [IssueChannel.WEB] * 5 + [IssueChannel.STAFF] * 2 + [IssueChannel.VISIT] * 2 + [IssueChannel.OPEN311]
    created: list[Issue] = []
    for _n in range(200):
        category = rng.choice(categories)
        channel = rng.choice(channels)
        ward = rng.choice(new_wards)
        received = now - dt.timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 12))
        staff_channel = channel in (IssueChannel.STAFF, IssueChannel.VISIT)
        issue = services.submit_issue(
            actor=ctx.actor, channel=channel, category=category, received_at=received,
            description=rng.choice(DESCRIPTIONS[category.code]), area_unit=ward,
            address=f"Số {rng.randint(1, 200)} đường {rng.choice(['Lê Lợi', 'Hùng Vương', 'Trần Hưng Đạo'])}",
            reporter_name=rng.choice(["", "Nguyễn Văn Hòa", "Lê Thị Thu", "Trần Minh Đức"]),
            reporter_contact=rng.choice(["", f"09{rng.randint(10_000_000, 99_999_999)}"]),
            consent_to_publish=rng.random() < 0.6, organisation=ward if staff_channel else None,
            api_client=client if channel == IssueChannel.OPEN311 else None)
        created.append(issue)
    created.sort(key=lambda i: i.received_at)
    # An issue three weeks old or more has mostly been answered by now (`settled`, from a random sequence of its
    # own): half of the last three months' issues were still open, and every old one overdue and escalated. The
    # draws of `rng` stay what they were, so the seeders after this one keep their sequence.
    keep = random.Random(20261101)
    for issue in created:
        age = (now - issue.received_at).days
        roll = rng.random()
        settled = age > 21 and keep.random() < 0.85
        # Where intake routed it (a security issue to the police, the others to their ward), else a ward.
        ward = issue.area_unit or new_wards[0]
        unit = (police.get(ward.pk) or ward) if issue.category.code == "an-ninh" else ward
        if (age < 3 or roll < 0.12) and not settled:
            continue  # still waiting to be acknowledged (the older ones are overdue)
        if 0.12 <= roll < 0.17:
            services.reject_issue(actor=ctx.actor, issue=issue, reason="Nội dung không thuộc thẩm quyền giải quyết "
                                  "của địa phương; đã hướng dẫn công dân gửi đến cơ quan có thẩm quyền.")
            continue
        if 0.17 <= roll < 0.21 and created[0].pk != issue.pk:
            services.merge_issue(actor=ctx.actor, issue=issue, duplicate_of=created[0])
            continue
        issue = services.assign_issue(actor=ctx.actor, issue=issue, unit=unit)
        if roll < 0.35 and not settled:
            continue  # assigned, not started
        issue = services.start_issue(actor=ctx.actor, issue=issue)
        if roll < 0.55 and not settled:
            continue  # in progress (the older ones overdue)
        if roll >= 0.55:
            rng.randrange(5)  # was the random answer's draw: later seeders keep their seeded sequence
        issue = services.answer_issue(actor=ctx.actor, issue=issue, answer=answer_for(issue))
        if roll > 0.8:
            services.close_issue(actor=ctx.actor, issue=issue)
    _spread_timelines(created, now)
    _seed_the_months_before(ctx, categories=categories, wards=new_wards, police=police, client=client, now=now)
    # The steps of the last three months notified the wards as the services took them, all today: what concerns
    # an issue of the last week is still unread, the rest was read when it happened (a ward secretary's bell read
    # 134). What the overdue run below sends is news today.
    from chithi.core.models import Notification

    this_week = [issue.get_absolute_url() for issue in created if (now - issue.received_at).days < 7]
    Notification.objects.filter(created_at__gte=now, read_at__isnull=True).exclude(url__in=this_week).update(
        read_at=timezone.now())


def seed_escalations(ctx: DemoContext) -> None:
    """The overdue run of today, once the tree is today's: run before the reform, it escalated the wards' overdue
    issues to the city committee that ended on 30/06/2025 and told the province's leaders so."""
    services.escalate_overdue()


# The present's months before the last three: from the two-level reform (01/07/2025) to three months ago. Without
# them a leader's 2026 dashboard and the public figures read no issue at all from January to August, and a system
# whose every older issue was still half-handled (the last three months' mix applied to everything).
EARLIER_FROM = dt.datetime(2025, 7, 1, 7, 30)
EARLIER_PER_DAY = 1.3  # about 40 a month across the two wards, on average
EARLIER_ON_TIME = 0.8  # of the answers; Hue-S and iHanoi publish shares around and above this
STREETS = ["Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Lý Thường Kiệt"]


def _seed_the_months_before(ctx: DemoContext, *, categories: list[IssueCategory], wards: list[Organisation],
                            police: dict[int, Organisation | None], client: Any, now: dt.datetime) -> None:
    """Issues of the months before the last three, through the services, mostly answered on time, some late, a few
    refused, merged or still open (long overdue, so escalated); their steps are dated back to when they happened.
    A random sequence of its own, so the seeders after it draw what they drew before it was added."""
    rng = random.Random(20250702)
    start = timezone.make_aware(EARLIER_FROM)
    end = now - dt.timedelta(days=91)
    if end <= start:
        return
    channels = [IssueChannel.WEB] * 5 + [IssueChannel.STAFF] * 2 + [IssueChannel.VISIT] * 2 + [IssueChannel.OPEN311]
    # More each month as the wards' residents take it up: half drawn evenly, half leaning to the later months, so
    # the months run from about a third to about twice the first one's count into the last three's.
    count = int((end - start).days * EARLIER_PER_DAY)
    received_times = sorted(start + (end - start) * (rng.random() if n % 2 else rng.random() ** 0.5)
                            for n in range(count))
    first_of: dict[str, Issue] = {}
    for received in received_times:
        received = timezone.localtime(received).replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59))
        category = rng.choice(categories)
        channel = rng.choice(channels)
        ward = rng.choice(wards)
        staff_channel = channel in (IssueChannel.STAFF, IssueChannel.VISIT)
        issue = services.submit_issue(
            actor=ctx.actor, channel=channel, category=category, received_at=received,
            description=rng.choice(DESCRIPTIONS[category.code]), area_unit=ward,
            address=f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}",
            reporter_name=rng.choice(["", "Nguyễn Văn Hòa", "Lê Thị Thu", "Trần Minh Đức", "Phạm Thị Lan"]),
            reporter_contact=rng.choice(["", f"09{rng.randint(10_000_000, 99_999_999)}"]),
            consent_to_publish=rng.random() < 0.6, organisation=ward if staff_channel else None,
            api_client=client if channel == IssueChannel.OPEN311 else None)
        unit = (police.get(ward.pk) or ward) if category.code == "an-ninh" else ward
        roll = rng.random()
        acknowledged = received + dt.timedelta(hours=rng.randint(1, 20))
        if roll < 0.04:
            services.reject_issue(actor=ctx.actor, issue=issue, reason="Nội dung không thuộc thẩm quyền giải quyết "
                                  "của địa phương; đã hướng dẫn công dân gửi đến cơ quan có thẩm quyền.")
            _date_steps(issue, [acknowledged], closed=acknowledged)
            continue
        earlier = first_of.get(category.code)
        if roll < 0.07 and earlier is not None and earlier.area_unit_id == ward.pk:
            services.merge_issue(actor=ctx.actor, issue=issue, duplicate_of=earlier)
            _date_steps(issue, [acknowledged], closed=acknowledged)
            continue
        first_of.setdefault(category.code, issue)
        issue = services.assign_issue(actor=ctx.actor, issue=issue, unit=unit)
        issue = services.start_issue(actor=ctx.actor, issue=issue)
        if roll < 0.09 and end - received < dt.timedelta(days=120):  # still in hand weeks later: overdue, escalated
            _date_steps(issue, [acknowledged, acknowledged + dt.timedelta(days=1)])
            continue
        due = timezone.make_aware(dt.datetime.combine(issue.answer_due_on, dt.time(16, 30)))
        if rng.random() < EARLIER_ON_TIME:
            answered = acknowledged + (due - acknowledged) * rng.uniform(0.3, 0.95)
        else:
            answered = due + dt.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 6))
        issue = services.answer_issue(actor=ctx.actor, issue=issue, answer=answer_for(issue))
        closed = None
        if rng.random() < 0.75:
            services.close_issue(actor=ctx.actor, issue=issue)
            closed = answered + dt.timedelta(days=rng.randint(7, 16))
        _date_steps(issue, [acknowledged, acknowledged + (answered - acknowledged) / 3], answered=answered,
                    closed=closed, rating=rng.choice([None, None, 3, 4, 4, 5, 5, 5, 2]) if closed else None)
    # What these steps notified is marked read by the caller with the last three months' (seed_recent_issues).


def _date_steps(issue: Issue, steps: list[dt.datetime], *, answered: dt.datetime | None = None,
                closed: dt.datetime | None = None, rating: int | None = None) -> None:
    """Date the services' steps (which carry today's time) as they happened: the handling steps at `steps` in turn
    (the last repeated), the answer and the closing (or refusal, or merger) at theirs."""
    events = list(IssueEvent.objects.filter(issue=issue).order_by("id"))[1:]  # the first is the receipt
    handling = 0
    for event in events:
        if event.kind == EventKind.ANSWERED and answered is not None:
            event.at = answered
        elif event.kind in CLOSING_EVENTS and closed is not None:
            event.at = closed
        else:
            event.at = steps[min(handling, len(steps) - 1)]
            handling += 1
    _save_dates(issue, events, acknowledged_at=steps[0], **({"rating": rating} if rating is not None else {}))


# Which steps end an issue's handling, and which acknowledge it (accept, reject or merge; an assignment accepts).
CLOSING_EVENTS = (EventKind.CLOSED, EventKind.REJECTED, EventKind.MERGED)
ACKNOWLEDGING_EVENTS = (EventKind.ACCEPTED, EventKind.ASSIGNED, EventKind.REJECTED, EventKind.MERGED)


def _save_dates(issue: Issue, events: list[IssueEvent], **known: Any) -> None:
    """Write the steps' new times and what the issue keeps of them (acknowledged, answered, closed), with what the
    caller already knows (`known`) taking precedence."""
    changes: dict[str, Any] = dict(known)
    for event in events:
        if event.kind in ACKNOWLEDGING_EVENTS:
            changes.setdefault("acknowledged_at", event.at)
        if event.kind == EventKind.ANSWERED:
            changes.update(answered_at=event.at, answer_working_days=working_days_elapsed(issue.received_at, event.at))
        if event.kind in CLOSING_EVENTS:
            changes["closed_at"] = event.at
    IssueEvent.objects.bulk_update(events, ["at"])
    if changes:
        Issue.objects.filter(pk=issue.pk).update(**changes)


RECENT_TOPICS = [
    "Đối thoại về hoạt động của chính quyền địa phương hai cấp sau sắp xếp",
    "Đối thoại về giải quyết thủ tục hành chính trên môi trường số",
    "Đối thoại về trật tự đô thị và văn minh đô thị",
]


def seed_dialogues_recent(ctx: DemoContext) -> None:
    """Two dialogues in each new ward since the 2025 merger (the last one three weeks ago), with the issues raised
    at each going through the services: a ward secretary's list of dialogues starts in the present, not in 2020.
    A random sequence of its own, so the seeders after it draw what they drew before it was added."""
    rng = random.Random(20250701)
    now = timezone.now()
    created: list[Issue] = []
    wards = Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE, dissolved_on__isnull=True).order_by("name")
    for ward in wards:
        leaders = _ward_leaders(ward)
        area = (ward.short_name or ward.name).replace("Phường", "phường")
        for number, days_ago in enumerate((rng.randint(90, 150), rng.randint(18, 25))):
            held_on = timezone.localdate() - dt.timedelta(days=days_ago)
            dialogue = services.create_dialogue(
                actor=ctx.actor, organisation=ward, title=RECENT_TOPICS[(number + ward.pk) % len(RECENT_TOPICS)],
                held_on=held_on, place=f"Nhà văn hóa khu phố {number + 3}, {area}", leaders=leaders,
                participants_count=rng.randint(60, 160),
                minutes=("Đồng chí Bí thư Đảng ủy phường chủ trì buổi đối thoại. Bà con nêu kiến nghị về thủ tục "
                         "hành chính sau sắp xếp, trật tự đô thị và đời sống; lãnh đạo phường trả lời trực tiếp "
                         "các nội dung thuộc thẩm quyền và giao các bộ phận giải quyết những nội dung còn lại."))
            codes = ["thu-tuc", "trat-tu-do-thi", "van-minh-do-thi", "dan-sinh", "ha-tang"]
            for issue in _raise_at(ctx, rng, dialogue, codes, rng.randint(3, 5), f"Hộ dân khu phố {number + 3}",
                                   organisation=ward):
                issue = services.assign_issue(actor=ctx.actor, issue=issue, unit=ward)
                issue = services.start_issue(actor=ctx.actor, issue=issue)
                if number == 0 or rng.random() < 0.6:  # the last dialogue's issues are partly still in hand
                    issue = services.answer_issue(actor=ctx.actor, issue=issue, answer=answer_for(issue))
                created.append(issue)
    _spread_timelines(created, now)


def _spread_timelines(issues: list[Issue], now: dt.datetime) -> None:
    """Steps taken by the services above carry today's time; place them between receipt and now."""
    for issue in issues:
        events = list(IssueEvent.objects.filter(issue=issue).order_by("id"))
        span = max((now - issue.received_at) / (len(events) + 1), dt.timedelta(minutes=5))
        # Most steps a day or two apart, one issue in four slower (answered late): a step every four days made
        # most of the last three months' answers late, where the months before answer four in five on time.
        span = min(span, dt.timedelta(days=5 if issue.pk % 4 == 0 else 2))
        for index, event in enumerate(events[1:], start=1):
            event.at = issue.received_at + span * index
        _save_dates(issue, events[1:])
