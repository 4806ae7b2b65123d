"""Demo of grassroots work in phường Đông Hà and Nam Đông Hà: the wards' bodies and police, working groups,
12 months of cell meetings (attendance, minutes, a thematic meeting a quarter), members' commitments, household
visits whose issues reach the dialogues room, help at home by the ward police, and the monthly flag ceremonies
with one unit missing last month.

The history is bulk-inserted (the same figures the services would write, without an audit row each) so
`make demo` stays quick; the most recent steps go through the services, so their audit trail and notices are real.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from django.utils import timezone

from chithi.core.demo import DemoContext
from chithi.core.models import User
from chithi.core.permissions import Role
from chithi.core.search import index
from chithi.orgs import services as orgs
from chithi.orgs.models import Membership, Organisation, OrgKind, Person

from . import rules, services
from .models import (
    REGULAR_KINDS,
    STANDING_ITEMS,
    AbsenceReason,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    CeremonyStatus,
    Commitment,
    CommitmentGrade,
    CommitmentItem,
    Concern,
    FlagCeremony,
    GroupRole,
    HelpOutcome,
    HomeHelpRequest,
    HomeReason,
    Household,
    Meeting,
    MeetingGuest,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    Procedure,
    Reflection,
    RequestChannel,
    ResolutionTask,
    SelfAssessment,
    TaskOutcome,
    ThemeKind,
    Visit,
    VisitStatus,
    WorkingGroup,
)
from .selectors.meetings import roster
from .services.attendance import _count

WARD_CODES = ("19333", "19351")  # phường Đông Hà, phường Nam Đông Hà (vietnam-provinces, 2025)

THEMATIC_TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về nêu gương của cán bộ, đảng viên",
    "Tư tưởng Hồ Chí Minh về dân vận: trọng dân, gần dân, hiểu dân, học dân, có trách nhiệm với dân",
    "Làm theo Bác về cần, kiệm, liêm, chính, chí công vô tư trong sinh hoạt ở khu dân cư",
    "Tư tưởng Hồ Chí Minh về xây dựng Đảng trong sạch, vững mạnh gắn với Nghị quyết Trung ương 4 khóa XII",
]
REMARKS = [
    "Đề nghị chi bộ quan tâm hơn việc vệ sinh môi trường tuyến đường trong khu phố, nhất là sau mưa.",
    "Tôi thống nhất với báo cáo; bổ sung: cần vận động các hộ kinh doanh không lấn chiếm vỉa hè.",
    "Việc học tập và làm theo Bác cần gắn với việc cụ thể: mỗi đảng viên nhận giúp một hộ khó khăn.",
    "Đề nghị phân công đảng viên trẻ hỗ trợ người cao tuổi kích hoạt tài khoản định danh điện tử.",
    "Tình hình an ninh trật tự ổn định; cần duy trì tổ tự quản và camera tại ngã tư.",
    "Đề nghị chi bộ kiến nghị phường sớm sửa đèn chiếu sáng hẻm 12.",
    "Tôi đã hoàn thành nhiệm vụ được phân công tháng trước; xin nhận thêm việc vận động đóng quỹ khuyến học.",
]
CONCERNS = [  # (what was raised, the dialogues room's demo category it belongs to)
    ("Đèn đường trong kiệt bị hỏng hơn hai tuần, buổi tối đi lại nguy hiểm.", "ha-tang"),
    ("Cống thoát nước trước nhà bị tắc, mưa lớn là ngập vào nhà.", "ha-tang"),
    ("Đề nghị hướng dẫn thủ tục hưởng trợ cấp cho người cao tuổi trên 80 tuổi.", "dan-sinh"),
    ("Có nhóm thanh niên tụ tập gây ồn ào sau 23 giờ ở đầu kiệt.", "an-ninh"),
    ("Rác thải không được thu gom đúng lịch, bốc mùi.", "van-minh-do-thi"),
    ("Xin hướng dẫn cấp đổi giấy chứng nhận quyền sử dụng đất.", "thu-tuc"),
]
STREETS = ["Lê Duẩn", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Hàm Nghi", "Quốc lộ 9",
           "Lê Lợi", "Đặng Dung", "Thành Cổ", "Nguyễn Du", "Phan Bội Châu"]

def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _wards() -> list[Organisation]:
    return list(Organisation.objects.filter(code__in=WARD_CODES, kind=OrgKind.WARD_COMMITTEE,
                                            dissolved_on__isnull=True).order_by("code"))


def _cells(ward: Organisation) -> list[Organisation]:
    return list(Organisation.objects.filter(parent=ward, kind=OrgKind.PARTY_CELL, dissolved_on__isnull=True)
                .order_by("sort_key"))


def _months_back(today: dt.date, count: int) -> list[tuple[int, int]]:
    first = today.replace(day=1)
    return [(d.year, d.month) for d in (rules.add_months(first, -n) for n in range(count - 1, -1, -1))]


def _person(ctx: DemoContext, unit: Organisation, name: str, position: str) -> Person:
    return orgs.create_person(actor=ctx.actor, full_name=name, organisation=unit, position=position,
                              since=dt.date(2025, 7, 1), is_party_member=True,
                              party_joined_on=dt.date(ctx.rng.randint(1995, 2018), ctx.rng.randint(1, 12), 1),
                              phone=f"09{ctx.rng.randint(10_000_000, 99_999_999)}")


# --- units, people, accounts, groups -----------------------------------------------------------------------

WARD_BODIES = [("Văn phòng Đảng ủy", OrgKind.DEPARTMENT), ("Ban Xây dựng Đảng", OrgKind.DEPARTMENT),
               ("Ủy ban Kiểm tra Đảng ủy", OrgKind.DEPARTMENT), ("Ủy ban nhân dân", OrgKind.GOVERNMENT),
               ("Ủy ban Mặt trận Tổ quốc Việt Nam", OrgKind.MASS_ORG), ("Công an", OrgKind.AGENCY)]
# Each body's head and one more, by the body's own titles ("Trưởng bộ phận" headed the inspection committee).
BODY_POSTS = {
    "Văn phòng Đảng ủy": ["Chánh Văn phòng", "Chuyên viên"],
    "Ban Xây dựng Đảng": ["Trưởng ban", "Chuyên viên"],
    "Ủy ban Kiểm tra Đảng ủy": ["Chủ nhiệm", "Ủy viên"],
    "Ủy ban nhân dân": ["Chủ tịch", "Phó Chủ tịch"],
    "Ủy ban Mặt trận Tổ quốc Việt Nam": ["Chủ tịch", "Phó Chủ tịch"],
}
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Phan", "Đặng"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm",
         "Thảo", "Trung", "Tuấn", "Vân", "Yến"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def seed_groups(ctx: DemoContext) -> None:
    """The wards' bodies after Quy định 298-QĐ/TW (office, party building board, inspection committee) with the
    ward's government, Front and police; the wards' and the province's working groups; demo accounts."""
    rng = ctx.rng
    wards = _wards()
    for ward in wards:
        ward_place = ward.name.removeprefix("Đảng ủy ")
        for label, kind in WARD_BODIES:
            unit = orgs.create_organisation(actor=ctx.actor, name=f"{label} {ward_place}", kind=kind, parent=ward,
                                            short_name=label, established_on=dt.date(2025, 7, 1))
            positions = ["Trưởng Công an phường", "Phó Trưởng Công an phường", "Cán bộ", "Cán bộ"] \
                if kind == OrgKind.AGENCY else BODY_POSTS[label]
            for position in positions:
                _person(ctx, unit, _name(rng), position)
            if kind == OrgKind.AGENCY:
                ctx.data.setdefault("grassroots_police", []).append(unit)
        leaders = list(Person.objects.filter(memberships__organisation=ward, memberships__until__isnull=True)
                       .order_by("sort_key")[:4])
        group = services.create_group(
            actor=ctx.actor, organisation=ward, name=f"Tổ công tác {ward.name}", starts_on=dt.date(2025, 7, 15),
            members=[(p, GroupRole.LEADER if i == 0 else GroupRole.MEMBER) for i, p in enumerate(leaders)],
            followed_units=[ward], note="Gặp, nắm tình hình ở các hộ dân; dự sinh hoạt chi bộ khu dân cư.")
        ctx.data.setdefault("grassroots_groups", []).append(group)
    top = Organisation.objects.filter(depth=0, dissolved_on__isnull=True).order_by("path").first()
    owner = Organisation.objects.filter(parent=top, kind=OrgKind.WORKING_GROUP, dissolved_on__isnull=True).first() \
        or top
    assert owner is not None
    members = list(Person.objects.filter(memberships__organisation=owner, memberships__until__isnull=True)
                   .order_by("sort_key")[:3]) or leaders[:2]
    ctx.data["grassroots_upper_group"] = services.create_group(
        actor=ctx.actor, organisation=owner, name=f"{owner.name} theo dõi phường Đông Hà, Nam Đông Hà",
        starts_on=dt.date(2025, 8, 1), followed_units=wards,
        members=[(p, GroupRole.LEADER if i == 0 else GroupRole.MEMBER) for i, p in enumerate(members)])
    _accounts(ctx, wards)


def _accounts(ctx: DemoContext, wards: list[Organisation]) -> None:
    """A party member with the member's view of their own cell, and a ward police officer."""
    cell = next(c for c in _cells(wards[0]) if c.residential)
    member = roster(cell=cell, day=timezone.localdate())[-1].person
    user = User.objects.create_user(username="demo.dangvien", password=ctx.data["password"],
                                    first_name=member.full_name, email="demo.dangvien@demo.chithi.vn", person=member)
    orgs.assign_role(actor=ctx.actor, user=user, organisation=cell, role=Role.VIEWER)
    secretary = User.objects.filter(username="demo.bithuchibo", person__isnull=True).first()
    assignment = secretary.role_assignments.select_related("organisation").first() if secretary else None
    if secretary is not None and assignment is not None:
        # The demo cell secretary becomes the person who leads that cell, so "my next meeting" has someone.
        chair = Membership.objects.filter(organisation=assignment.organisation, position="Bí thư Chi bộ",
                                          until__isnull=True).first()
        if chair is not None:
            secretary.person = chair.person
            secretary.save(update_fields=["person"])
    police = ctx.data["grassroots_police"][0]
    officer = Membership.objects.filter(organisation=police, until__isnull=True).order_by("id")[2].person
    user = User.objects.create_user(username="demo.congan", password=ctx.data["password"],
                                    first_name=officer.full_name, email="demo.congan@demo.chithi.vn", person=officer)
    orgs.assign_role(actor=ctx.actor, user=user, organisation=police, role=Role.STAFF)


# --- meetings ---------------------------------------------------------------------------------------------


def _standing(ctx: DemoContext, cells: list[Organisation], today: dt.date) -> None:
    """A few probationary members (admitted this year) and exempt elderly members."""
    rng = ctx.rng
    for n, cell in enumerate(cells):
        members = roster(cell=cell, day=today)
        if len(members) < 4:
            continue
        if n % 3 == 0:  # admitted seven months ago: probationary until the twelve months are over
            orgs.update_person(actor=ctx.actor, person=members[-1].person,
                               party_joined_on=today - dt.timedelta(days=210))
        if n % 4 == 1:
            services.set_standing(actor=ctx.actor, person=members[rng.randrange(2, len(members))].person,
                                  exempt_from=dt.date(2024, 1, 1), exempt_reason="Tuổi cao, sức yếu (trên 80 tuổi)")


def _meeting_day(cell: Organisation, year: int, month: int, rng: random.Random) -> dt.datetime:
    day = dt.date(year, month, rng.randint(5, 12))
    while day.weekday() == 6:
        day += dt.timedelta(days=1)
    return _aware(day, 19, 30) if cell.residential else _aware(day, 14, 0)


def _agenda(meeting: Meeting, *, first: bool) -> list[AgendaItem]:
    titles = {AgendaKind.LAST_MONTH: "Đánh giá kết quả thực hiện nhiệm vụ tháng trước",
              AgendaKind.STUDY: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (Chỉ thị 05)",
              AgendaKind.NEXT_MONTH: "Phương hướng, nhiệm vụ tháng tới"}
    items = [] if first else [AgendaItem(meeting=meeting, kind=AgendaKind.REVIEW, title=str(AgendaKind.REVIEW.label))]
    items += [AgendaItem(meeting=meeting, kind=k, title=titles[k]) for k in STANDING_ITEMS]
    if meeting.kind == MeetingKind.COMBINED:
        items.insert(len(items) - 1, AgendaItem(meeting=meeting, kind=AgendaKind.THEME,
                                                title=f"Chuyên đề: {meeting.topic}"))
    for position, item in enumerate(items, start=1):
        item.position = position
    return items


def _status(rng: random.Random, exempt: bool) -> tuple[str, str]:
    if exempt:
        return (AttendanceStatus.PRESENT, "") if rng.random() < 0.15 else (AttendanceStatus.EXEMPT, "")
    roll = rng.random()
    if roll < 0.86:
        return AttendanceStatus.PRESENT, ""
    if roll < 0.97:
        return AttendanceStatus.EXCUSED, rng.choice([AbsenceReason.WORK, AbsenceReason.ILLNESS, AbsenceReason.FAMILY,
                                                     AbsenceReason.AWAY])
    return AttendanceStatus.UNEXCUSED, ""


def seed_meetings(ctx: DemoContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    months = _months_back(today, 12)
    groups = {g.organisation_id: g for g in ctx.data.get("grassroots_groups", WorkingGroup.objects.filter(
        organisation__code__in=WARD_CODES))}
    upper = ctx.data.get("grassroots_upper_group")
    cells = [(ward, cell) for ward in _wards() for cell in _cells(ward)]
    _standing(ctx, [c for _w, c in cells], today)
    held: list[Meeting] = []
    for _ward, cell in cells:
        for year, month in months:
            thematic = month % 3 == 0
            starts = _meeting_day(cell, year, month, rng)
            if starts.date() >= today:
                continue  # this month's meeting is scheduled through the service below
            meeting = Meeting(organisation=cell, kind=MeetingKind.COMBINED if thematic else MeetingKind.REGULAR,
                              starts_at=starts, planned_minutes=120 if thematic else 90, period=year * 100 + month,
                              place="Nhà văn hóa khu phố" if cell.residential else "Hội trường UBND phường",
                              topic=THEMATIC_TOPICS[(month // 3 - 1) % 4] if thematic else "",
                              theme_kind=ThemeKind.HO_CHI_MINH if thematic else "", status=MeetingStatus.HELD,
                              notified_at=starts - dt.timedelta(days=2))
            index(meeting)
            held.append(meeting)
    Meeting.objects.bulk_create(held)
    _history(ctx, held, groups, upper)
    _this_month(ctx, [c for _w, c in cells], today)
    _commitments(ctx, [c for _w, c in cells], today)


def _history(ctx: DemoContext, meetings: list[Meeting], groups: dict[int, WorkingGroup],
             upper: WorkingGroup | None) -> None:
    rng = ctx.rng
    agenda: list[AgendaItem] = []
    first = min(m.period for m in meetings) if meetings else 0
    for meeting in meetings:
        agenda += _agenda(meeting, first=meeting.period == first)
    AgendaItem.objects.bulk_create(agenda)
    items_of: dict[int, list[AgendaItem]] = {}
    for item in agenda:
        items_of.setdefault(item.meeting_id, []).append(item)
    rows: list[Attendance] = []
    versions: list[MinutesVersion] = []
    tasks: list[ResolutionTask] = []
    guests: list[MeetingGuest] = []
    frame = rules.score_frame()
    rosters: dict[tuple[int, dt.date], list[Any]] = {}
    for meeting in meetings:
        day = meeting.local_date()
        members = rosters.setdefault((meeting.organisation_id, day), roster(cell=meeting.organisation, day=day))
        mine = []
        for entry in members:
            status, reason = _status(rng, entry.exempt)
            mine.append(Attendance(meeting=meeting, person=entry.person, status=status, reason=reason,
                                   probationary=entry.probationary))
        rows += mine
        _count(meeting, mine, members)
        present = [a.person for a in mine if a.status == AttendanceStatus.PRESENT]
        if len(present) < 2:
            continue
        chair, secretary = present[0], present[1]
        items = items_of[meeting.pk]
        remarks = [{"person": p.pk, "name": p.full_name, "item": rng.choice(items).pk, "text": rng.choice(REMARKS)}
                   for p in rng.sample(present, min(len(present), rng.randint(2, 4)))]
        parts = {key: max(points - rng.choice([0, 0, 0, 1, 2, 3]), 0) for key, _label, points in frame}
        score = sum(parts.values())
        snapshot = {name: getattr(meeting, name) for name in services.attendance.COUNTERS}
        started = meeting.starts_at.astimezone(timezone.get_current_timezone())
        versions.append(MinutesVersion(
            meeting=meeting, number=1, status=MinutesStatus.APPROVED, chair=chair, secretary=secretary,
            started_at=started.time(), ended_at=(started + dt.timedelta(minutes=meeting.planned_minutes + 5)).time(),
            report="Chi ủy báo cáo kết quả lãnh đạo thực hiện nhiệm vụ chính trị tháng trước; tình hình tư tưởng "
                   "đảng viên ổn định; công tác xây dựng Đảng, vận động quần chúng được duy trì.",
            remarks=remarks, conclusions={str(i.pk): "Thống nhất như báo cáo." for i in items},
            resolution="Chi bộ thống nhất thông qua nghị quyết tháng: tiếp tục vận động nhân dân giữ gìn vệ sinh "
                       "môi trường, bảo đảm an ninh trật tự; mỗi đảng viên thực hiện tốt bản cam kết làm theo Bác.",
            votes_for=meeting.present_official, votes_total=meeting.present_official, score_parts=parts, score=score,
            grade=rules.grade_for(score), attendance_snapshot=snapshot, approved_at=meeting.starts_at
            + dt.timedelta(hours=3)))
        tasks.append(ResolutionTask(meeting=meeting, title="Vận động các hộ ra quân tổng vệ sinh cuối tháng",
                                    assignee=rng.choice(present), due_on=day + dt.timedelta(days=20)))
        group = groups.get(meeting.organisation.parent_id or 0)
        if meeting.organisation.residential and group is not None and rng.random() < 0.25:
            guests.append(MeetingGuest(meeting=meeting, name=group.name.replace("Tổ công tác ", "Đại diện Tổ công "
                                                                                "tác "), group=group,
                                       title="Tổ công tác của Đảng ủy phường"))
        if upper is not None and meeting.organisation.residential and rng.random() < 0.06:
            guests.append(MeetingGuest(meeting=meeting, name=upper.name, title="Tổ công tác cấp trên", group=upper))
    Attendance.objects.bulk_create(rows, batch_size=2000)
    Meeting.objects.bulk_update(meetings, list(services.attendance.COUNTERS), batch_size=500)
    MinutesVersion.objects.bulk_create(versions, batch_size=500)
    ResolutionTask.objects.bulk_create(tasks, batch_size=500)
    MeetingGuest.objects.bulk_create(guests, batch_size=500)
    _reviews(meetings, tasks)


def _reviews(meetings: list[Meeting], tasks: list[ResolutionTask]) -> None:
    """Each task is reviewed at the cell's next meeting (most done)."""
    by_cell: dict[int, list[Meeting]] = {}
    for meeting in sorted(meetings, key=lambda m: m.starts_at):
        by_cell.setdefault(meeting.organisation_id, []).append(meeting)
    following = {m.pk: nxt for series in by_cell.values() for m, nxt in itertools.pairwise(series)}
    reviewed = []
    for n, task in enumerate(tasks):
        nxt = following.get(task.meeting_id)
        if nxt is None:
            continue
        task.reviewed_at = nxt
        task.outcome = TaskOutcome.DONE if n % 5 else TaskOutcome.IN_PROGRESS
        task.review_note = "Đã ra quân, các hộ tham gia đầy đủ." if n % 5 else "Còn một số hộ chưa tham gia."
        reviewed.append(task)
    ResolutionTask.objects.bulk_update(reviewed, ["reviewed_at", "outcome", "review_note"], batch_size=500)


def _this_month(ctx: DemoContext, cells: list[Organisation], today: dt.date) -> None:
    """This month's meetings still to come, through the service (with the cell's plan tasks, announced)."""
    from chithi.campaigns.models import OPEN_STATUSES, PlanTask

    rng = ctx.rng
    soon = today + dt.timedelta(days=2)
    for cell in cells:
        this_month = Meeting.objects.filter(organisation=cell, period=today.year * 100 + today.month,
                                            kind__in=REGULAR_KINDS).exists()
        day = soon if soon.month == today.month and not this_month else \
            rules.add_months(today.replace(day=1), 1).replace(day=rng.randint(5, 10))
        starts = _aware(day, 19, 30) if cell.residential else _aware(day, 14, 0)
        tasks = list(PlanTask.objects.filter(plan__organisation=cell, status__in=OPEN_STATUSES)
                     .order_by("deadline")[:1])
        services.schedule_meeting(actor=ctx.actor, organisation=cell, starts_at=starts,
                                  place="Nhà văn hóa khu phố" if cell.residential else "Hội trường UBND phường",
                                  plan_tasks=tasks, notify_members=starts - timezone.now() < dt.timedelta(days=10))


def _commitments(ctx: DemoContext, cells: list[Organisation], today: dt.date) -> None:
    rng = ctx.rng
    pledges = ["Gương mẫu chấp hành chủ trương của Đảng, pháp luật của Nhà nước, quy định của địa phương",
               "Vận động gia đình và 5 hộ liền kề giữ gìn vệ sinh môi trường, phân loại rác tại nguồn",
               "Hỗ trợ người cao tuổi trong khu phố sử dụng dịch vụ công trực tuyến",
               "Tham gia đầy đủ sinh hoạt chi bộ, đóng đảng phí đúng hạn",
               "Mỗi tháng đọc và trao đổi một câu chuyện về tấm gương đạo đức Hồ Chí Minh"]
    commitments, items, reflections = [], [], []
    quarters_done = (today.month - 1) // 3  # quarters already over this year
    for year in (today.year - 1, today.year):
        seen: set[int] = set()
        for cell in cells:
            for entry in roster(cell=cell, day=dt.date(year, 6, 30) if year < today.year else today):
                if entry.person.pk in seen:
                    continue
                seen.add(entry.person.pk)
                commitment = Commitment(person=entry.person, organisation=cell, year=year)
                if year < today.year:
                    commitment.review_grade = rng.choice([CommitmentGrade.EXCELLENT, CommitmentGrade.DONE,
                                                          CommitmentGrade.DONE, CommitmentGrade.NOT_DONE])
                    commitment.review_note = "Chi bộ đánh giá tại kỳ sinh hoạt cuối năm."
                    commitment.reviewed_on = dt.date(year, 12, 10)
                commitments.append(commitment)
    Commitment.objects.bulk_create(commitments, batch_size=1000)
    for commitment in commitments:
        for position, text in enumerate(rng.sample(pledges, 3), start=1):
            items.append(CommitmentItem(commitment=commitment, position=position, text=text,
                                        due_on=dt.date(commitment.year, 12, 31)))
        quarters = 4 if commitment.year < today.year else quarters_done
        for quarter in range(1, quarters + 1):
            reflections.append(Reflection(
                commitment=commitment, quarter=quarter, assessment=rng.choice(
                    [SelfAssessment.ON_TRACK, SelfAssessment.ON_TRACK, SelfAssessment.PARTLY]),
                text="Đã thực hiện các nội dung cam kết trong quý; tự nhận thấy cần chủ động hơn trong "
                     "việc vận động các hộ liền kề."))
    CommitmentItem.objects.bulk_create(items, batch_size=2000)
    Reflection.objects.bulk_create(reflections, batch_size=2000)


# --- field work -------------------------------------------------------------------------------------------


def seed_fieldwork(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = timezone.localtime()  # the hours below are Vietnam time (.replace(hour=…) on a UTC time was not)
    today = timezone.localdate()
    services.procedures.ensure_default_procedures()
    wards = _wards()
    households: list[Household] = []
    for ward in wards:
        for cell in _cells(ward):
            if not cell.residential:
                continue
            for _n in range(rng.randint(5, 8)):
                head = _name(rng)
                household = Household(residential_area=cell, head_name=head,
                                      address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
                                      phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                                      members_note=f"{head} ({rng.randint(58, 88)} tuổi), vợ/chồng, "
                                                   f"{rng.randint(0, 3)} con",
                                      elderly=rng.random() < 0.4, disabled=rng.random() < 0.1)
                households.append(index(household))
    Household.objects.bulk_create(households)
    groups = list(WorkingGroup.objects.filter(organisation__in=wards))
    _visits(ctx, groups, households, now)
    _home_help(ctx, wards, households, now, today)


def _visits(ctx: DemoContext, groups: list[WorkingGroup], households: list[Household], now: dt.datetime) -> None:
    from chithi.dialogues.models import IssueCategory

    rng = ctx.rng
    categories = {c.code: c for c in IssueCategory.objects.filter(active=True)}
    fallback = next(iter(categories.values()))
    kind_of = dict(CONCERNS)
    for group in groups:
        area_households = [h for h in households if h.residential_area.path.startswith(group.organisation.path)]
        members = list(group.members.values_list("person_id", flat=True))
        past: list[Visit] = []
        for week in range(50, 0, -1):
            starts = now - dt.timedelta(weeks=week, hours=rng.randint(0, 60))
            starts = starts.replace(hour=rng.choice([8, 9, 14, 15]), minute=0, second=0, microsecond=0)
            if starts.date() < group.starts_on:
                continue
            past.append(Visit(group=group, household=rng.choice(area_households), starts_at=starts,
                              status=VisitStatus.DONE, situation="Gia đình ổn định, chấp hành tốt quy định địa phương.",
                              raised=rng.choice(CONCERNS)[0], follow_up="Tổ công tác tổng hợp báo cáo Đảng ủy phường."))
        Visit.objects.bulk_create(past)
        through = Visit.visitors.through
        through.objects.bulk_create([through(visit_id=v.pk, person_id=p) for v in past
                                     for p in rng.sample(members, min(2, len(members)))])
        concerns = [Concern(visit=v, description=v.raised) for v in past if rng.random() < 0.45]
        Concern.objects.bulk_create(concerns)
        # The latest concerns go to the citizens' issues through the services, as an officer would.
        for concern in concerns[-6:]:
            services.raise_issue(actor=ctx.actor, concern=concern,
                                 category=categories.get(kind_of.get(concern.description, ""), fallback))
        for days in (2, 5, 9):
            services.plan_visit(actor=ctx.actor, group=group, household=rng.choice(area_households),
                                starts_at=(now + dt.timedelta(days=days)).replace(hour=9, minute=0, second=0,
                                                                                  microsecond=0),
                                visitors=members[:2])


OUTCOME_NOTES = {HelpOutcome.DONE: "Đã hoàn tất hồ sơ tại nhà.", HelpOutcome.AGAIN: "Thiếu giấy tờ, hẹn lần sau.",
                 HelpOutcome.REFERRED: "Chuyển bộ phận một cửa UBND phường."}


def _home_help(ctx: DemoContext, wards: list[Organisation], households: list[Household], now: dt.datetime,
               today: dt.date) -> None:
    rng = ctx.rng
    procedures = list(Procedure.objects.filter(active=True))
    past: list[HomeHelpRequest] = []
    for ward in wards:
        police = Organisation.objects.filter(parent=ward, kind=OrgKind.AGENCY).first()
        if police is None:
            continue
        officers = list(Person.objects.filter(memberships__organisation=police, memberships__until__isnull=True))
        mine = [h for h in households if h.residential_area.path.startswith(ward.path)]
        for n in range(36):
            slot = (now - dt.timedelta(days=rng.randint(3, 360))).replace(hour=rng.choice([8, 9, 14, 15]), minute=0,
                                                                           second=0, microsecond=0)
            outcome = HelpOutcome.DONE if n % 7 else rng.choice([HelpOutcome.AGAIN, HelpOutcome.REFERRED])
            procedure = rng.choice(procedures)
            past.append(HomeHelpRequest(
                organisation=police, household=rng.choice(mine), procedure=procedure,
                channel=rng.choice([RequestChannel.PHONE, RequestChannel.STAFF]),
                reason=rng.choice([HomeReason.ELDERLY, HomeReason.ELDERLY, HomeReason.DISABLED, HomeReason.ILL]),
                slot_start=slot, slot_minutes=45, officer=rng.choice(officers), outcome=outcome,
                outcome_note=OUTCOME_NOTES[outcome],
                keep_note="Tài khoản VNeID kích hoạt trên điện thoại của con trai." if procedure.code == "vneid"
                else "",
                satisfaction=rng.choice([4, 5, 5, 5, 3]) if outcome == HelpOutcome.DONE else None))
        for days in (1, 2, 4, 6, 9):
            slot = (now + dt.timedelta(days=days)).replace(hour=rng.choice([8, 14]), minute=30, second=0,
                                                          microsecond=0)
            services.create_request(actor=ctx.actor, organisation=police, household=rng.choice(mine),
                                    procedure=rng.choice(procedures), channel=RequestChannel.PHONE,
                                    reason=HomeReason.ELDERLY, slot_start=slot, officer=rng.choice(officers))
    HomeHelpRequest.objects.bulk_create(past)


# --- flag ceremonies --------------------------------------------------------------------------------------


def seed_ceremonies(ctx: DemoContext) -> None:
    """Every flag unit of the two wards recorded its ceremony for 12 months, except one missing last month and
    one not held (with its reason) earlier."""
    rng = ctx.rng
    today = timezone.localdate()
    units = [u for ward in _wards() for u in Organisation.objects.filter(
        path__startswith=ward.path, kind__in=rules.flag_unit_kinds(), dissolved_on__isnull=True).order_by("path")]
    topics = ["Thông tin thời sự trong nước và của tỉnh Quảng Trị", "Gương người tốt, việc tốt làm theo Bác",
              "Kết quả tháng trước và nhiệm vụ trọng tâm tháng này", "Phòng, chống tin giả trên mạng xã hội"]
    months = [m for m in _months_back(today, 12) if rules.flag_day(*m) <= today]
    missing = (units[-1].pk, months[-1]) if units and months else None
    records: list[FlagCeremony] = []
    for unit in units:
        speakers = list(Person.objects.filter(memberships__organisation=unit, memberships__until__isnull=True)[:2])
        for n, (year, month) in enumerate(months):
            if (unit.pk, (year, month)) == missing:
                continue
            day = rules.flag_day(year, month)
            if n == 3 and unit == units[0]:
                records.append(FlagCeremony(organisation=unit, period=year * 100 + month,
                                            status=CeremonyStatus.NOT_HELD,
                                            reason="Trùng lịch hội nghị trực tuyến của Tỉnh ủy; tổ chức lồng ghép "
                                                   "vào giao ban tuần."))
                continue
            expected = rng.randint(18, 40)
            records.append(FlagCeremony(
                organisation=unit, period=year * 100 + month, status=CeremonyStatus.HELD, held_on=day,
                start_time=rules.flag_time(), place="Sân trụ sở", speaker=rng.choice(speakers) if speakers else None,
                topic=rng.choice(topics), attendance=expected - rng.randint(0, 3), expected=expected))
    FlagCeremony.objects.bulk_create(records)
