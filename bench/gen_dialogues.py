"""Generator step of the dialogues room: categories and 10 million citizens' issues over five years, each with
its timeline steps, handled by the wards."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from harness import GenContext, generator_step

from chithi.core.text import fold
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


def tracking_code(pk: int) -> str:
    """A code of the same alphabet and length as codes.new_code(), unique by construction."""
    value = (pk * _CODE_MULTIPLIER + 0x1234_5678_9ABC) % (1 << (5 * LENGTH))
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(LENGTH))


@lru_cache(maxsize=100_000)
def folded(text: str) -> str:
    return fold(text)


def issue_search_text(code: str, *parts: str) -> str:
    """dialogues.services._search_text: fold(" ".join(filter(None, [code, category, description, area, address,
    reporter]))). fold works character by character and collapses spaces, so folding each (cached) part and
    joining them gives the same text."""
    return " ".join([code.lower(), *(folded(p) for p in parts if p)])


@generator_step("dialogues", after=("orgs",))
def dialogues(ctx: GenContext) -> None:
    wards: list[tuple[int, str, str, int]] = ctx.shared["wards"]
    rng = ctx.rng()
    with ctx.rows_of(IssueCategory, ["id", "code", "name", "ack_days", "answer_days", "public", "active",
                                     "sort_order"]) as rows:
        for pk, (code, name) in enumerate(CATEGORIES, start=1):
            rows.add(pk, code, name, 2, 10, True, True, pk * 10)
    now = ctx.now
    span_minutes = YEARS * 365 * 24 * 60
    n_issues = ctx.count(NATIONAL_ISSUES)
    cumulative, total = [], 0.0
    for status, share in STATUSES:
        total += share
        cumulative.append((total, status))
    issue_fields = ["id", "tracking_code", "channel", "category_id", "description", "area", "area_unit_id", "address",
                    "reporter_name", "consent_to_publish", "status", "organisation_id", "received_at",
                    "acknowledged_at", "ack_due_on", "answer_due_on", "due_on", "answer", "answered_at",
                    "answered_by_unit_id", "closed_at", "rating", "updated_at", "search_text"]
    with ctx.rows_of(Issue, issue_fields) as issues, \
            ctx.rows_of(IssueEvent, ["issue_id", "at", "kind", "actor_name", "public", "to_unit_id"]) as events:
        for pk in range(1, n_issues + 1):
            ward_id, _path, ward_name, _province = wards[int(rng.random() * len(wards))]
            category = int(rng.random() * len(CATEGORIES))
            description = DESCRIPTIONS[int(rng.random() * len(DESCRIPTIONS))]
            address = f"Số {1 + int(rng.random() * 300)} {STREETS[int(rng.random() * len(STREETS))]}"
            reporter = REPORTERS[int(rng.random() * len(REPORTERS))]
            received = now - dt.timedelta(minutes=int(rng.random() * span_minutes))
            day = received.date()
            roll = rng.random()
            status = next(s for edge, s in cumulative if roll <= edge) if roll < total else "closed"
            acknowledged = received + dt.timedelta(hours=4 + int(rng.random() * 40)) if status != "received" else None
            answered = received + dt.timedelta(days=1 + int(rng.random() * 12)) \
                if status in ("answered", "closed") else None
            closed = answered + dt.timedelta(days=15) if status == "closed" and answered else None
            ack_due, answer_due = day + dt.timedelta(days=2), day + dt.timedelta(days=14)
            due = None if status in ("closed", "rejected") else (ack_due if status == "received" else answer_due)
            code = tracking_code(pk)
            issues.add(pk, code, "web" if roll < 0.7 else "staff", category + 1, description, ward_name, ward_id,
                       address, reporter, roll < 0.5, status, ward_id, received, acknowledged, ack_due, answer_due,
                       due, ANSWER if answered else "", answered, ward_id if answered else None, closed,
                       1 + int(rng.random() * 5) if closed and roll < 0.3 else None, closed or answered or received,
                       issue_search_text(code, CATEGORIES[category][1], description, ward_name, address, reporter))
            events.add(pk, received, "received", "", True, ward_id)
            if answered:
                events.add(pk, answered, "answered", "Cán bộ tiếp nhận", True, None)
            if closed:
                events.add(pk, closed, "closed", "", True, None)
