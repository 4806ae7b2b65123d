"""Đông Hà demo practices: every practice the article names with its unit, the veterans' nine, results over
half-years, replications across the residential party cells of both wards, commendations, and photos drawn
with Pillow at seed time (nothing downloaded)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from chithi.core.demo import DemoContext
from chithi.orgs.models import Organisation, OrgKind, Person

from . import services
from .models import CommendationLevel, Practice, PracticeStatus

# Completed half-years up to mid-2026: the periods results are recorded for.
PERIODS = [
    (dt.date(y, 1, 1), dt.date(y, 6, 30), f"6 tháng đầu năm {y}") if h == 1
    else (dt.date(y, 7, 1), dt.date(y, 12, 31), f"6 tháng cuối năm {y}")
    for y in (2023, 2024, 2025, 2026) for h in (1, 2) if (y, h) != (2026, 2)
]


@dataclass
class DemoPractice:
    key: str
    unit: str  # organisation name
    name: str
    fields: list[str]
    started_on: dt.date
    description: str
    indicators: list[tuple[str, str, int]]  # (name, unit of measure, target per half-year)
    public: bool = True
    public_names: str = ""
    replicate_to: int = 0  # how many residential party cells adopt it
    photo: str = ""  # which picture to draw
    extra: dict[str, Any] = field(default_factory=dict)


WOMEN = "Hội Liên hiệp Phụ nữ thành phố Đông Hà"
VETERANS = "Hội Cựu chiến binh thành phố Đông Hà"

PRACTICES = [
    DemoPractice(
        "school", "Chi bộ Trường THPT chuyên Lê Quý Đôn",
        "Cán bộ, giáo viên, nhân viên trong nhà trường nêu cao tinh thần trách nhiệm, gương mẫu, sáng tạo, không "
        "ngừng tự học, tự bồi dưỡng để nâng cao chất lượng giảng dạy",
        ["education", "party"], dt.date(2017, 9, 5),
        "Mỗi cán bộ, giáo viên đăng ký nội dung tự học, tự bồi dưỡng đầu năm học; chi bộ kiểm tra việc thực hiện "
        "trong sinh hoạt hằng tháng và gắn với đánh giá, xếp loại đảng viên.",
        [("Giáo viên hoàn thành kế hoạch tự bồi dưỡng", "người", 60), ("Giải học sinh giỏi cấp tỉnh", "giải", 40)],
        photo="school"),
    DemoPractice(
        "police", "Đảng ủy Công an thành phố Đông Hà", "Nghe dân nói, nói dân hiểu, làm dân tin",
        ["security", "law", "administration"], dt.date(2018, 3, 1),
        "Cán bộ, chiến sĩ đến từng khu phố lắng nghe ý kiến của Nhân dân, giải thích pháp luật và hỗ trợ thủ tục "
        "hành chính tại nhà; kiến nghị của dân được trả lời trong thời hạn cam kết.",
        [("Buổi tiếp xúc, đối thoại với Nhân dân", "buổi", 24), ("Kiến nghị được giải quyết", "kiến nghị", 150)],
        replicate_to=0, photo="police", extra={"wards": True}),
    DemoPractice(
        "military", "Đảng ủy Quân sự thành phố Đông Hà", "Tự soi, tự sửa, đổi mới phương pháp làm việc",
        ["party"], dt.date(2017, 6, 1),
        "Mỗi cán bộ, đảng viên tự soi vào chuẩn mực đạo đức, tự chỉ ra khuyết điểm và đăng ký biện pháp khắc phục; "
        "cấp ủy theo dõi kết quả từng quý.",
        [("Đảng viên đăng ký và hoàn thành nội dung tự sửa", "người", 40)], public=False),
    DemoPractice(
        "piggy", WOMEN, "Nuôi heo đất tiết kiệm", ["economy", "welfare"], dt.date(2017, 3, 8),
        "Hội viên bỏ tiền tiết kiệm hằng ngày vào heo đất; cuối năm mổ heo để cho hội viên khó khăn vay không lãi "
        "phát triển kinh tế gia đình.",
        [("Tiền tiết kiệm", "đồng", 60_000_000), ("Hội viên được vay vốn không lãi", "người", 20)],
        public_names="Chi hội Phụ nữ các khu phố", replicate_to=5, photo="piggy"),
    DemoPractice(
        "rice", WOMEN, "Hũ gạo tình thương", ["welfare"], dt.date(2016, 10, 20),
        "Mỗi gia đình hội viên đặt một hũ gạo, bớt một nắm gạo mỗi bữa; gạo góp lại được trao cho hộ nghèo, người "
        "già neo đơn và bệnh nhân khó khăn.",
        [("Gạo quyên góp", "kg", 1500), ("Hộ khó khăn được hỗ trợ", "hộ", 40)],
        public_names="Chi hội Phụ nữ khu phố", replicate_to=8, photo="rice"),
    DemoPractice(
        "porridge", WOMEN, "Bát cháo yêu thương", ["welfare"], dt.date(2018, 5, 1),
        "Phụ nữ các cơ sở luân phiên nấu cháo phát miễn phí cho bệnh nhân nghèo tại Bệnh viện Đa khoa tỉnh vào "
        "sáng thứ Năm hằng tuần.",
        [("Suất cháo được phát", "suất", 3000)], replicate_to=2, photo="porridge"),
    DemoPractice(
        "poles", "Thành đoàn Đông Hà", "Cột điện nở hoa", ["environment", "culture"], dt.date(2019, 3, 26),
        "Đoàn viên, thanh niên làm sạch tờ rơi quảng cáo trên cột điện và vẽ tranh hoa, cảnh quê hương lên cột, "
        "góp phần xây dựng văn minh đô thị.",
        [("Cột điện được vẽ tranh", "cột", 120), ("Lượt đoàn viên tham gia", "lượt", 300)],
        public_names="Đoàn Thanh niên các phường", replicate_to=4, photo="poles"),
    # The veterans' association: nine practices across law dissemination, security and order, traffic safety
    # and economic development in residential areas.
    DemoPractice(
        "ccb_law_club", VETERANS, "Câu lạc bộ Cựu chiến binh với pháp luật", ["law"], dt.date(2017, 4, 1),
        "Sinh hoạt chuyên đề pháp luật hằng quý cho hội viên; hội viên về tuyên truyền lại tại khu dân cư.",
        [("Buổi sinh hoạt chuyên đề", "buổi", 2)], replicate_to=2, photo="law"),
    DemoPractice(
        "ccb_law_speaker", VETERANS, "Cựu chiến binh tuyên truyền pháp luật tại khu dân cư", ["law"],
        dt.date(2018, 1, 15),
        "Hội viên Cựu chiến binh đọc tin pháp luật trên loa truyền thanh khu phố và tại các buổi họp dân.",
        [("Lượt tuyên truyền", "lượt", 48)], public=False, replicate_to=1),
    DemoPractice(
        "ccb_security", VETERANS, "Tổ Cựu chiến binh tự quản an ninh trật tự", ["security"], dt.date(2017, 8, 19),
        "Mỗi khu phố có một tổ Cựu chiến binh tuần tra ban đêm, phối hợp với Công an phường nắm tình hình.",
        [("Buổi tuần tra", "buổi", 90), ("Vụ việc được phát hiện, báo cáo", "vụ", 10)],
        public_names="Trần Thanh Bình", replicate_to=3, photo="security"),
    DemoPractice(
        "ccb_mediation", VETERANS, "Cựu chiến binh tham gia hòa giải ở cơ sở", ["security", "law"],
        dt.date(2018, 6, 1),
        "Hội viên có uy tín tham gia tổ hòa giải, giải quyết mâu thuẫn nhỏ trong khu dân cư ngay từ đầu.",
        [("Vụ hòa giải thành", "vụ", 12)], replicate_to=2),
    DemoPractice(
        "ccb_camera", VETERANS, "Camera an ninh khu phố do Cựu chiến binh vận động", ["security"],
        dt.date(2020, 5, 1),
        "Hội viên vận động các hộ cùng góp kinh phí lắp camera tại các ngõ, kết nối với Công an phường.",
        [("Camera được lắp đặt", "camera", 15)], public=False, replicate_to=1),
    DemoPractice(
        "ccb_school_gate", VETERANS, "Cựu chiến binh giữ trật tự an toàn giao thông cổng trường", ["traffic"],
        dt.date(2018, 9, 5),
        "Giờ tan học, hội viên Cựu chiến binh hướng dẫn học sinh và phụ huynh dừng đỗ xe đúng nơi quy định.",
        [("Buổi ra quân", "buổi", 100)], replicate_to=2, photo="traffic"),
    DemoPractice(
        "ccb_road", VETERANS, "Tuyến đường Cựu chiến binh tự quản", ["traffic", "environment"], dt.date(2019, 4, 30),
        "Mỗi chi hội nhận một tuyến đường: giữ vệ sinh, nhắc nhở lấn chiếm vỉa hè, báo hư hỏng biển báo.",
        [("Tuyến đường tự quản", "tuyến", 8)], replicate_to=2),
    DemoPractice(
        "ccb_coop", VETERANS, "Tổ hợp tác Cựu chiến binh phát triển kinh tế khu dân cư", ["economy"],
        dt.date(2017, 12, 22),
        "Hội viên góp vốn, chia sẻ kinh nghiệm chăn nuôi, dịch vụ; tổ hợp tác tạo việc làm cho con em hội viên.",
        [("Hộ hội viên tham gia", "hộ", 30), ("Lao động có việc làm", "người", 25)], replicate_to=1,
        photo="economy"),
    DemoPractice(
        "ccb_fund", VETERANS, "Quỹ Cựu chiến binh giúp nhau giảm nghèo", ["economy", "welfare"], dt.date(2017, 7, 27),
        "Quỹ do hội viên đóng góp, cho hội viên khó khăn vay không lãi để làm ăn; mỗi năm giúp một số hộ thoát nghèo.",
        [("Dư nợ quỹ", "đồng", 150_000_000), ("Hộ thoát nghèo", "hộ", 3)], public=False, replicate_to=1),
]

_PALETTES = {
    "school": ((30, 90, 160), (240, 240, 220)), "police": ((20, 70, 40), (230, 200, 60)),
    "piggy": ((230, 130, 150), (255, 230, 235)), "rice": ((200, 170, 90), (250, 245, 230)),
    "porridge": ((180, 110, 60), (250, 235, 210)), "poles": ((60, 60, 70), (250, 120, 80)),
    "law": ((120, 30, 30), (245, 230, 200)), "security": ((40, 60, 40), (200, 220, 190)),
    "traffic": ((200, 50, 40), (250, 250, 250)), "economy": ((60, 130, 60), (230, 245, 200)),
}


def draw_picture(kind: str, rng: Any) -> bytes:
    """A small JPEG drawn at seed time: a gradient and a few shapes in the practice's colours."""
    dark, light = _PALETTES.get(kind, ((90, 90, 90), (230, 230, 230)))
    width, height = 640, 400
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(light[i] * (1 - t) + dark[i] * t * 0.6) for i in range(3)))
    for _i in range(7):
        x, y, r = rng.randint(40, width - 40), rng.randint(60, height - 40), rng.randint(18, 60)
        if kind == "poles":
            draw.rectangle([x - 8, 40, x + 8, height], fill=dark)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(250, rng.randint(80, 200), 120))
        else:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=dark, outline=light, width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _record_results(ctx: DemoContext, practice: Practice, spec: DemoPractice, scale: float) -> None:
    rng = ctx.rng
    for position, (name, unit, target) in enumerate(spec.indicators):
        scaled_target = max(1, round(target * scale))
        indicator = services.add_indicator(actor=ctx.actor, practice=practice, name=name, unit=unit,
                                           target=scaled_target)
        growth = 0.75 + 0.05 * position
        for start, end, label in PERIODS:
            if end < practice.started_on:
                continue
            growth = min(growth + rng.uniform(0.02, 0.09), 1.35)
            actual = Decimal(round(scaled_target * growth * rng.uniform(0.9, 1.1)))
            if unit == "đồng":
                actual = Decimal(round(actual / 100_000) * 100_000)  # savings are counted in round amounts
            services.record_result(actor=ctx.actor, indicator=indicator, period_start=start, period_end=end,
                                   period_label=label, actual=actual)


def _photo(ctx: DemoContext, practice: Practice, kind: str, caption: str) -> None:
    upload = SimpleUploadedFile(f"{kind}.jpg", draw_picture(kind, ctx.rng), content_type="image/jpeg")
    services.add_photo(actor=ctx.actor, practice=practice, upload=upload, caption=caption)


def seed_practices(ctx: DemoContext) -> None:
    rng = ctx.rng
    cells = list(Organisation.objects.active().filter(kind=OrgKind.PARTY_CELL, residential=True)
                 .order_by("sort_key"))
    wards = list(Organisation.objects.active().filter(kind=OrgKind.WARD_COMMITTEE).order_by("sort_key"))
    made: dict[str, Practice] = {}
    for spec in PRACTICES:
        unit = Organisation.objects.get(name=spec.unit, dissolved_on__isnull=True)
        practice = services.register_practice(
            actor=ctx.actor, name=spec.name, organisation=unit, fields=spec.fields, started_on=spec.started_on,
            description=spec.description, is_public=spec.public, public_names=spec.public_names,
            status=PracticeStatus.RUNNING)
        made[spec.key] = practice
        _record_results(ctx, practice, spec, 1.0)
        if spec.photo:
            _photo(ctx, practice, spec.photo, f"{spec.name[:60]} — {unit.short_name or unit.name}")
        adopters = rng.sample(cells, min(spec.replicate_to, len(cells)))
        if spec.extra.get("wards"):
            adopters = wards
        first_adoption = max(spec.started_on + dt.timedelta(days=200), dt.date(2019, 1, 1))
        for number, adopter in enumerate(adopters):
            adopted_on = first_adoption + dt.timedelta(days=rng.randint(0, 900))
            if adopter.established_on and adopted_on < adopter.established_on:
                adopted_on = adopter.established_on + dt.timedelta(days=rng.randint(10, 90))
            replication = services.replicate_practice(
                actor=ctx.actor, origin=practice, organisation=adopter, adopted_on=adopted_on,
                adaptation_notes=rng.choice([
                    "Triển khai theo quy mô khu phố, giao chi hội phụ trách.",
                    "Điều chỉnh lịch sinh hoạt cho phù hợp với người đi làm.",
                    "Kết hợp với buổi sinh hoạt chi bộ hằng tháng.",
                    "Phối hợp với Ban công tác Mặt trận khu phố.",
                ]))
            _record_results(ctx, replication.adopting, spec, 0.12 + 0.04 * rng.random())
            # A few cells pass the practice on to a neighbour: replications of replications.
            if number < 2 and spec.replicate_to >= 4:
                neighbours = [c for c in cells if c.pk not in {a.pk for a in adopters}
                              and not Practice.objects.filter(organisation=c, name_key=practice.name_key).exists()]
                if neighbours:
                    services.replicate_practice(
                        actor=ctx.actor, origin=replication.adopting, organisation=rng.choice(neighbours),
                        adopted_on=min(adopted_on + dt.timedelta(days=rng.randint(60, 300)), dt.date(2026, 6, 30)),
                        adaptation_notes="Học tập cách làm của chi bộ bạn.")
    binh = Person.objects.filter(full_name="Trần Thanh Bình").first()
    awards: list[tuple[str, str, str, dt.date, str, str, Person | None]] = [
        ("rice", "Bằng khen của Chủ tịch UBND tỉnh Quảng Trị", CommendationLevel.PROVINCE, dt.date(2021, 3, 5),
         "512/QĐ-UBND", "UBND tỉnh Quảng Trị", None),
        ("piggy", "Giấy khen của Ban Thường vụ Thành ủy Đông Hà", CommendationLevel.CITY, dt.date(2020, 5, 19),
         "1024-QĐ/TU", "Ban Thường vụ Thành ủy", None),
        ("poles", "Bằng khen của Ban Chấp hành Trung ương Đoàn", CommendationLevel.CENTRAL, dt.date(2022, 3, 26),
         "215-QĐ/TWĐTN-VP", "Trung ương Đoàn TNCS Hồ Chí Minh", None),
        ("police", "Bằng khen của Bộ trưởng Bộ Công an", CommendationLevel.CENTRAL, dt.date(2021, 8, 19),
         "6120/QĐ-BCA", "Bộ Công an", None),
        ("ccb_security", "Bằng khen của Trung ương Hội Cựu chiến binh Việt Nam", CommendationLevel.CENTRAL,
         dt.date(2022, 12, 6), "318/QĐ-CCB", "Trung ương Hội CCB Việt Nam", binh),
        ("school", "Giấy khen của Ban Thường vụ Thành ủy Đông Hà", CommendationLevel.CITY, dt.date(2019, 5, 19),
         "860-QĐ/TU", "Ban Thường vụ Thành ủy", None),
    ]
    for key, title, level, on, decision, issuer, person in awards:
        services.add_commendation(actor=ctx.actor, practice=made[key], title=title, level=level, awarded_on=on,
                                  decision_number=decision, issuer=issuer, person=person)
    ctx.data["practices"] = made
