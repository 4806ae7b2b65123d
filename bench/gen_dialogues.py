"""Generator step of the dialogues room: categories and 10 million citizens' issues over five years, each with
its timeline steps, handled by the wards."""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from harness import NULL, GenContext, generator_step

from chithi.core.text import fold
from chithi.core.workdays import is_working_day
from chithi.dialogues.codes import ALPHABET, LENGTH
from chithi.dialogues.models import Issue, IssueCategory, IssueEvent

NATIONAL_ISSUES = 10_000_000
YEARS = 5
CATEGORIES = [("trat-tu-do-thi", "Trật tự đô thị"), ("ve-sinh-moi-truong", "Vệ sinh môi trường"),
              ("giao-thong", "Giao thông, đường sá"), ("dien-chieu-sang", "Điện chiếu sáng"),
              ("cap-thoat-nuoc", "Cấp, thoát nước"), ("dat-dai", "Đất đai, giải phóng mặt bằng"),
              ("an-ninh-trat-tu", "An ninh, trật tự"), ("thu-tuc-hanh-chinh", "Thủ tục hành chính"),
              ("y-te-giao-duc", "Y tế, giáo dục"), ("khac", "Ý kiến khác")]
DESCRIPTIONS = ["Vỉa hè trước chợ bị lấn chiếm, người đi bộ phải xuống lòng đường",
                "Cống thoát nước bị tắc, mưa xuống là ngập cả con kiệt",
                "Đèn đường hỏng nhiều ngày, buổi tối rất tối và mất an toàn",
                "Rác thải tập kết không đúng giờ, bốc mùi hôi", "Ổ gà lớn giữa đường, đã có người ngã xe",
                "Tiếng ồn karaoke kéo dài đến khuya", "Đề nghị hướng dẫn thủ tục cấp đổi giấy chứng nhận",
                "Cây xanh nghiêng sắp đổ, đề nghị cắt tỉa trước mùa bão"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Trãi", "Quang Trung", "Lý Thường Kiệt", "Hai Bà Trưng"]
REPORTERS = ["", "", "Nguyễn Văn An", "Trần Thị Hoa", "Lê Minh Tuấn", "Phạm Thị Lan", "Hoàng Văn Nam"]
ANSWER = "Đơn vị đã kiểm tra thực tế và xử lý xong; cảm ơn ông/bà đã phản ánh."
# (status, share): the mix of a service a few years old.
STATUSES = [("closed", 0.60), ("answered", 0.15), ("in_progress", 0.08), ("assigned", 0.05), ("accepted", 0.04),
            ("received", 0.05), ("rejected", 0.03)]
_CODE_MULTIPLIER = 0x2F6B_9D3C_A5E7  # odd: id → id·m mod 2^50 is a bijection, so codes never collide


# The code's characters two at a time: 10 bits → 2 characters, the low 5 bits first (as new_code's order reads).
_PAIRS = [ALPHABET[v & 31] + ALPHABET[v >> 5] for v in range(1024)]


def tracking_code(pk: int) -> str:
    """A code of the same alphabet and length as codes.new_code(), unique by construction."""
    value = (pk * _CODE_MULTIPLIER + 0x1234_5678_9ABC) % (1 << (5 * LENGTH))
    return "".join([_PAIRS[(value >> (10 * i)) & 1023] for i in range(LENGTH // 2)])


@lru_cache(maxsize=100_000)
def folded(text: str) -> str:
    return fold(text)


@generator_step("dialogues", after=("orgs",))
def dialogues(ctx: GenContext) -> None:
    wards: list[tuple[int, str, str, int]] = ctx.shared["wards"]
    rng = ctx.rng()
    with ctx.rows_of(IssueCategory, ["id", "code", "name", "ack_days", "answer_days", "public", "active",
                                     "sort_order"]) as rows:
        for pk, (code, name) in enumerate(CATEGORIES, start=1):
            rows.add(pk, code, name, 2, 10, True, True, pk * 10)
    # Time is counted in whole minutes from the first day of the calendar below and written as text from two
    # tables (the day, the hour and minute): no datetime object a row. Every moment is UTC, as ctx.now is.
    now = ctx.now
    span_minutes = YEARS * 365 * 24 * 60
    first_day = (now - dt.timedelta(minutes=span_minutes)).date() - dt.timedelta(days=1)
    first = dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)
    now_minute = int((now - first).total_seconds()) // 60
    days = [(first_day + dt.timedelta(days=n)).isoformat() for n in range(now_minute // 1440 + 60)]
    clock = [f" {m // 60:02d}:{m % 60:02d}:00+00" for m in range(1440)]

    def moment(minute: int) -> str:
        return days[minute // 1440] + clock[minute % 1440]

    # Issue.answer_working_days, as the answering service writes it: working days between the local dates
    # (Vietnam keeps one offset all year), from a running count of working days over the calendar.
    offset = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset() or dt.timedelta()
    local = int(offset.total_seconds()) // 60
    worked, running = [], 0
    for n in range(len(days)):
        running += n > 0 and is_working_day(first_day + dt.timedelta(days=n))
        worked.append(running)

    n_issues = ctx.count(NATIONAL_ISSUES)
    edges, names, total = [], [], 0.0
    for status, share in STATUSES:
        total += share
        edges.append(total)
        names.append(status)
    ward_text = [(str(ward_id), ward_name, folded(ward_name)) for ward_id, _path, ward_name, _p in wards]
    categories = [(str(n + 1), folded(name)) for n, (_code, name) in enumerate(CATEGORIES)]
    descriptions = [(text, folded(text)) for text in DESCRIPTIONS]
    reporters = [(name, folded(name)) for name in REPORTERS]
    addresses = [[(f"Số {number} {street}", folded(f"Số {number} {street}")) for street in STREETS]
                 for number in range(1, 301)]
    n_wards, n_categories, n_descriptions, n_streets, n_reporters = (
        len(wards), len(CATEGORIES), len(DESCRIPTIONS), len(STREETS), len(REPORTERS))
    issue_fields = ["id", "tracking_code", "channel", "category_id", "description", "area", "area_unit_id", "address",
                    "reporter_name", "consent_to_publish", "status", "organisation_id", "received_at",
                    "acknowledged_at", "ack_due_on", "answer_due_on", "due_on", "answer", "answered_at",
                    "answer_working_days", "answered_by_unit_id", "closed_at", "rating", "updated_at", "search_text"]
    random = rng.random
    with ctx.rows_of(Issue, issue_fields) as issues, \
            ctx.rows_of(IssueEvent, ["issue_id", "at", "kind", "actor_name", "public", "to_unit_id"]) as events:
        issue, event = issues.add_text, events.add_text
        for pk in range(1, n_issues + 1):
            ward_id, ward_name, ward_folded = ward_text[int(random() * n_wards)]
            category = int(random() * n_categories)
            description, description_folded = descriptions[int(random() * n_descriptions)]
            number = int(random() * 300)
            address, address_folded = addresses[number][int(random() * n_streets)]
            reporter, reporter_folded = reporters[int(random() * n_reporters)]
            received = now_minute - int(random() * span_minutes)
            day = received // 1440
            roll = random()
            status = names[bisect.bisect_left(edges, roll)] if roll < total else "closed"
            acknowledged = moment(received + 60 * (4 + int(random() * 40))) if status != "received" else NULL
            answered = received + 1440 * (1 + int(random() * 12)) if status in ("answered", "closed") else None
            closed = answered + 1440 * 15 if status == "closed" and answered else None
            ack_due, answer_due = days[day + 2], days[day + 14]
            due = NULL if status in ("closed", "rejected") else (ack_due if status == "received" else answer_due)
            code = tracking_code(pk)
            received_text = moment(received)
            answered_text = moment(answered) if answered else NULL
            closed_text = moment(closed) if closed else NULL
            category_id, category_folded = categories[category]
            # dialogues.services._search_text folds the joined parts; fold works character by character and
            # collapses spaces, so joining the parts folded once (above) gives the same text.
            search = " ".join(filter(None, [code.lower(), category_folded, description_folded, ward_folded,
                                            address_folded, reporter_folded]))
            issue(pk, code, "web" if roll < 0.7 else "staff", category_id, description, ward_name, ward_id, address,
                  reporter, "t" if roll < 0.5 else "f", status, ward_id, received_text, acknowledged, ack_due,
                  answer_due, due, ANSWER if answered else "", answered_text,
                  max(0, worked[(answered + local) // 1440] - worked[(received + local) // 1440]) if answered
                  else NULL, ward_id if answered else NULL,
                  closed_text, 1 + int(random() * 5) if closed and roll < 0.3 else NULL,
                  closed_text if closed else (answered_text if answered else received_text), search)
            event(pk, received_text, "received", "", "t", ward_id)
            if answered:
                event(pk, answered_text, "answered", "Cán bộ tiếp nhận", "t", NULL)
            if closed:
                event(pk, closed_text, "closed", "", "t", NULL)
