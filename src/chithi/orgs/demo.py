"""Đông Hà demo: the city party committee under Tỉnh ủy Quảng Trị, its departments, the nine pre-2025 wards and
their cells, agencies, mass organisations, a school; a few hundred people; one account per role; the 2025 merger
of the wards into phường Đông Hà and phường Nam Đông Hà from vietnam-provinces' conversion data; and, last of all
the demo's seeders, the rest of the 2025 two-level reform: the city level ends on 30/06/2025, the new wards stand
under the province, and Quảng Bình's provincial committee merges into Quảng Trị's (docs/decisions.md, "office")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from chithi.core.demo import DemoContext
from chithi.core.models import User
from chithi.core.permissions import Role

from . import services
from .models import Gender, Organisation, OrgKind
from .names import random_name

MERGER_DATE = dt.date(2025, 7, 1)
PROVINCE_CODE = "TinhU-QT"
PROVINCE_OFFICE = "Ban Tuyên giáo và Dân vận Tỉnh ủy Quảng Trị"
OLD_WARDS = ["Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường Đông Giang", "Phường Đông Lễ",
             "Phường Đông Lương", "Phường Đông Thanh"]


def ward_conversion() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(old ward name → its code and its new ward's code, new code → new name), from vietnam-provinces."""
    import vietnam_provinces as vp
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW  # the package's 2025 conversion table
    from vietnam_provinces.legacy import District, Ward

    district = next(d for d in District.iter_all() if d.name == "Thành phố Đông Hà")
    old: dict[str, tuple[str, str]] = {}
    new_names: dict[str, str] = {}
    for ward in Ward.iter_by_district(district.code):
        entry = OLD_TO_NEW[int(ward.code)]
        new_code = int(entry.new_wards[0].code)
        old[ward.name] = (str(int(ward.code)), str(new_code))
        new_names[str(new_code)] = vp.Ward.from_code(vp.WardCode(new_code)).name
    return old, new_names


def _person(ctx: DemoContext, org: Organisation, position: str, *, name: str | None = None,
            gender: str | None = None, party: bool = True) -> Any:
    rng = ctx.rng
    gender = gender or rng.choice([Gender.MALE, Gender.FEMALE])
    birth = dt.date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
    joined = None
    if party:
        joined = dt.date(min(birth.year + rng.randint(19, 35), 2019), rng.randint(1, 12), rng.randint(1, 28))
    return services.create_person(
        actor=ctx.actor, full_name=name or random_name(rng, gender), organisation=org, position=position,
        since=dt.date(rng.randint(2010, 2019), rng.randint(1, 12), 1), gender=gender, birth_date=birth,
        is_party_member=party, party_joined_on=joined,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
    )


def _org(ctx: DemoContext, name: str, kind: str, parent: Organisation | None, **extra: Any) -> Organisation:
    return services.create_organisation(actor=ctx.actor, name=name, kind=kind, parent=parent,
                                        established_on=extra.pop("established_on", dt.date(2010, 1, 1)), **extra)


def seed_dong_ha(ctx: DemoContext) -> None:
    rng = ctx.rng
    old_codes, _new = ward_conversion()
    # The province stands above the city from the start: the city is one of its district-level committees, and
    # on 01/07/2025 the wards pass to it (seed_two_level). Quảng Trị was re-established on 01/07/1989.
    province = _org(ctx, "Tỉnh ủy Quảng Trị", OrgKind.PARTY_COMMITTEE, None, short_name="Tỉnh ủy", code=PROVINCE_CODE,
                    established_on=dt.date(1989, 7, 1))
    _org(ctx, "Tỉnh ủy Quảng Bình", OrgKind.PARTY_COMMITTEE, None, short_name="Tỉnh ủy Quảng Bình",
         code="TinhU-QB", established_on=dt.date(1989, 7, 1))
    _org(ctx, "Văn phòng Tỉnh ủy Quảng Trị", OrgKind.DEPARTMENT, province, short_name="Văn phòng Tỉnh ủy",
         established_on=dt.date(1989, 7, 1))
    # The provincial propaganda and mass-mobilisation departments were merged in early 2025 (date: decisions.md).
    province_office = _org(ctx, PROVINCE_OFFICE, OrgKind.DEPARTMENT, province, short_name="Ban TG&DV Tỉnh ủy",
                           established_on=dt.date(2025, 2, 1))
    for position in ["Trưởng ban", "Phó Trưởng ban", "Chuyên viên", "Chuyên viên"]:
        _person(ctx, province_office, position)
    city = _org(ctx, "Thành ủy Đông Hà", OrgKind.PARTY_COMMITTEE, province, short_name="Thành ủy", code="TU-DH",
                established_on=dt.date(2009, 1, 1))
    ctx.data["city"] = city
    departments = {}
    for name, short in [("Văn phòng Thành ủy", "Văn phòng"), ("Ban Tổ chức Thành ủy", "Ban Tổ chức"),
                        ("Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo"), ("Ban Dân vận Thành ủy", "Ban Dân vận"),
                        ("Ủy ban Kiểm tra Thành ủy", "UBKT")]:
        departments[short] = _org(ctx, name, OrgKind.DEPARTMENT, city, short_name=short)
    ctx.data["propaganda"] = departments["Ban Tuyên giáo"]
    working_group = _org(ctx, "Tổ công tác của Thành ủy", OrgKind.WORKING_GROUP, city, short_name="Tổ công tác")
    _person(ctx, departments["Ban Tuyên giáo"], "Trưởng ban", name="Trần Thanh Tiến", gender=Gender.MALE)
    for dept in departments.values():
        for position in ["Phó Trưởng ban", "Chuyên viên", "Chuyên viên"]:
            _person(ctx, dept, position)
    for position in ["Tổ trưởng", "Tổ viên", "Tổ viên", "Tổ viên"]:
        _person(ctx, working_group, position)

    wards: dict[str, Organisation] = {}
    for ward_name in OLD_WARDS:
        code = old_codes[ward_name][0]
        ward = _org(ctx, f"Đảng ủy {ward_name.replace('Phường', 'phường')}", OrgKind.WARD_COMMITTEE, city,
                    short_name=ward_name, code=code)
        wards[ward_name] = ward
        for position in ["Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Ủy viên Ban Thường vụ", "Ủy viên Ban Chấp hành"]:
            _person(ctx, ward, position)
        for number in range(1, rng.randint(3, 5)):
            cell = _org(ctx, f"Chi bộ Khu phố {number}, {ward_name.replace('Phường', 'phường')}",
                        OrgKind.PARTY_CELL, ward, short_name=f"Chi bộ KP{number}", residential=True)
            _person(ctx, cell, "Bí thư Chi bộ")
            _person(ctx, cell, "Phó Bí thư Chi bộ")
            for _i in range(rng.randint(4, 9)):
                _person(ctx, cell, "Đảng viên")
        office_cell = _org(ctx, f"Chi bộ Cơ quan UBND {ward_name.replace('Phường', 'phường')}", OrgKind.PARTY_CELL,
                           ward, short_name="Chi bộ Cơ quan")
        for position in ["Bí thư Chi bộ", "Đảng viên", "Đảng viên"]:
            _person(ctx, office_cell, position)
    ctx.data["old_wards"] = wards

    police = _org(ctx, "Đảng ủy Công an thành phố Đông Hà", OrgKind.AGENCY, city, short_name="Công an thành phố")
    for name in ["Chi bộ Cảnh sát quản lý hành chính", "Chi bộ An ninh"]:
        cell = _org(ctx, name, OrgKind.PARTY_CELL, police)
        for position in ["Bí thư Chi bộ", "Đảng viên", "Đảng viên", "Đảng viên"]:
            _person(ctx, cell, position)
    military = _org(ctx, "Đảng ủy Quân sự thành phố Đông Hà", OrgKind.AGENCY, city, short_name="Quân sự thành phố")
    for position in ["Bí thư Đảng ủy", "Chỉ huy trưởng", "Chính trị viên", "Đảng viên"]:
        _person(ctx, military, position, gender=Gender.MALE)
    women = _org(ctx, "Hội Liên hiệp Phụ nữ thành phố Đông Hà", OrgKind.MASS_ORG, city, short_name="Hội LHPN")
    for position in ["Chủ tịch Hội", "Phó Chủ tịch Hội", "Ủy viên"]:
        _person(ctx, women, position, gender=Gender.FEMALE)
    youth = _org(ctx, "Thành đoàn Đông Hà", OrgKind.MASS_ORG, city, short_name="Thành đoàn")
    for position in ["Bí thư Thành đoàn", "Phó Bí thư Thành đoàn", "Ủy viên"]:
        _person(ctx, youth, position)
    veterans = _org(ctx, "Hội Cựu chiến binh thành phố Đông Hà", OrgKind.MASS_ORG, city, short_name="Hội CCB")
    _person(ctx, veterans, "Chủ tịch Hội", gender=Gender.MALE)
    _person(ctx, veterans, "Phó Chủ tịch Hội", name="Trần Thanh Bình", gender=Gender.MALE)
    for _i in range(6):
        _person(ctx, veterans, "Hội viên", gender=Gender.MALE)
    school = _org(ctx, "Trường THPT chuyên Lê Quý Đôn", OrgKind.SCHOOL, city, short_name="THPT chuyên LQĐ")
    school_cell = _org(ctx, "Chi bộ Trường THPT chuyên Lê Quý Đôn", OrgKind.PARTY_CELL, school,
                       short_name="Chi bộ LQĐ")
    _person(ctx, school, "Hiệu trưởng")
    for position in ["Bí thư Chi bộ", "Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên", "Nhân viên"]:
        _person(ctx, school_cell, position)
    for _i in range(5):
        _person(ctx, school, "Giáo viên", party=False)
    ctx.data.update({"police": police, "military": military, "women": women, "youth": youth,
                     "veterans": veterans, "school": school, "school_cell": school_cell})


def seed_merger(ctx: DemoContext) -> None:
    """The 2025 two-level reform: nine ward committees become two, per the official conversion table."""
    old_codes, new_names = ward_conversion()
    by_new: dict[str, list[Organisation]] = {}
    for old_code, new_code in old_codes.values():
        by_new.setdefault(new_code, []).append(
            Organisation.objects.get(code=old_code, kind=OrgKind.WARD_COMMITTEE, dissolved_on__isnull=True))
    for new_code, sources in sorted(by_new.items()):
        ward, _event = services.merge_organisations(
            actor=ctx.actor, sources=sources, effective_on=MERGER_DATE,
            new_name=f"Đảng ủy {new_names[new_code].replace('Phường', 'phường')}", new_code=new_code,
            decision="Nghị quyết 1680/NQ-UBTVQH15 ngày 16/6/2025",
            note="Sắp xếp đơn vị hành chính cấp xã, chính quyền địa phương hai cấp",
        )
        _appoint_committee(ctx, ward)


# A merged ward's committee as the province appointed it from the day of the merger: one secretary, two deputies,
# a standing committee, the rest members of the executive committee. The merger itself moves each person with the
# post they held in their old ward (five "Bí thư Đảng ủy" in one ward); the demo corrects them the way an
# administrator does after the appointment decision (services.correct_membership).
COMMITTEE_RANK = ("Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Ủy viên Ban Thường vụ", "Ủy viên Ban Chấp hành")
COMMITTEE_SEATS = (("Bí thư Đảng ủy", 1), ("Phó Bí thư Đảng ủy", 2), ("Ủy viên Ban Thường vụ", 8))


def _appoint_committee(ctx: DemoContext, ward: Organisation) -> None:
    from .models import Membership

    moved = sorted(Membership.objects.filter(organisation=ward, until__isnull=True).select_related("person"),
                   key=lambda m: (COMMITTEE_RANK.index(m.position) if m.position in COMMITTEE_RANK
                                  else len(COMMITTEE_RANK), m.person.sort_key, m.pk))
    posts = [post for post, seats in COMMITTEE_SEATS for _seat in range(seats)]
    for index, membership in enumerate(moved):
        post = posts[index] if index < len(posts) else "Ủy viên Ban Chấp hành"
        services.correct_membership(actor=ctx.actor, membership=membership, position=post,
                                    since=membership.since)


def seed_accounts(ctx: DemoContext) -> None:
    city = Organisation.objects.get(code="TU-DH")
    new_ward = Organisation.objects.get(code="19333", dissolved_on__isnull=True)
    cell = Organisation.objects.filter(path__startswith=new_ward.path, kind=OrgKind.PARTY_CELL,
                                       residential=True).order_by("sort_key").first()
    veterans = Organisation.objects.get(name="Hội Cựu chiến binh thành phố Đông Hà")
    assert cell is not None
    accounts = [
        ("demo.quantri", "Quản trị Thành ủy", city, Role.ADMIN),
        ("demo.thuongtruc", "Thường trực Thành ủy", city, Role.LEADER),
        ("demo.tuyengiao", "Trần Thanh Tiến", city, Role.STAFF),
        ("demo.bithuphuong", "Bí thư Đảng ủy phường Đông Hà", new_ward, Role.SECRETARY),
        ("demo.bithuchibo", "Bí thư chi bộ", cell, Role.SECRETARY),
        ("demo.hoiccb", "Trần Thanh Bình", veterans, Role.STAFF),
        ("demo.xem", "Theo dõi", city, Role.VIEWER),
        ("demo.tinhuy", "Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy",
         Organisation.objects.get(name=PROVINCE_OFFICE), Role.STAFF),
    ]
    from .models import Person

    # The ward's secretary is the person the province appointed (_appoint_committee): her meetings, tasks and
    # account page are hers, not an office's.
    ward_secretary = Person.objects.filter(memberships__organisation=new_ward, memberships__until__isnull=True,
                                           memberships__position="Bí thư Đảng ủy").first()
    for username, display, org, role in accounts:
        user = User.objects.create_user(username=username, password=ctx.data["password"], first_name=display,
                                        email=f"{username}@demo.chithi.vn")
        person = Person.objects.filter(full_name=display).first()
        if username == "demo.bithuphuong":
            person = ward_secretary
        if person is not None:
            user.person = person
            user.save(update_fields=["person"])
        services.assign_role(actor=ctx.actor, user=user, organisation=org, role=role)
    # The province's propaganda department carries the directive for the whole province (DOMAIN.md: its plans,
    # models, reports and news): its specialist also works on the province committee's subtree. With a role on the
    # department alone the demo's province specialist saw one unit, and not one ward's plan or report.
    services.assign_role(actor=ctx.actor, user=User.objects.get(username="demo.tinhuy"),
                         organisation=Organisation.objects.get(code="TinhU-QT"), role=Role.STAFF)


# City-level bodies and the unit that takes over their open records on 01/07/2025. Where public sources do not
# say who took over, the province committee does (docs/decisions.md lists each such guess).
CITY_SUCCESSORS: list[tuple[str, str]] = [
    ("Ban Tuyên giáo Thành ủy", PROVINCE_OFFICE),
    ("Ban Dân vận Thành ủy", PROVINCE_OFFICE),
    ("Văn phòng Thành ủy", "Văn phòng Tỉnh ủy Quảng Trị"),
    ("Ban Tổ chức Thành ủy", "Tỉnh ủy Quảng Trị"),
    ("Ủy ban Kiểm tra Thành ủy", "Tỉnh ủy Quảng Trị"),
    ("Tổ công tác của Thành ủy", "Tỉnh ủy Quảng Trị"),
    ("Đảng ủy Quân sự thành phố Đông Hà", "Tỉnh ủy Quảng Trị"),
    ("Hội Liên hiệp Phụ nữ thành phố Đông Hà", "Tỉnh ủy Quảng Trị"),
    ("Thành đoàn Đông Hà", "Tỉnh ủy Quảng Trị"),
    ("Hội Cựu chiến binh thành phố Đông Hà", "Tỉnh ủy Quảng Trị"),
]
FORMER_CITY_ACCOUNTS = ("demo.tuyengiao", "demo.hoiccb")
REFORM_DECISION = "Nghị quyết 60-NQ/TW ngày 12/4/2025; Nghị quyết 202/2025/QH15 ngày 12/6/2025"
REFORM_NOTE = "Kết thúc hoạt động cấp huyện; chính quyền địa phương hai cấp từ 01/07/2025"


def _live(name: str) -> Organisation:
    return Organisation.objects.get(name=name, dissolved_on__isnull=True)


def seed_two_level(ctx: DemoContext) -> None:
    """The rest of the 2025 reform, after every room has seeded its records on the 2025 tree (apps.py), so each
    room's successor handler moves what was still open: the new wards (and the school) pass to the province, the
    city's bodies end on 30/06/2025 with a successor each, the city merges into the province, and Quảng Bình's
    provincial committee merges into Quảng Trị's."""
    province = Organisation.objects.get(code=PROVINCE_CODE)
    city = Organisation.objects.get(code="TU-DH")
    for ward in Organisation.objects.filter(parent=city, kind=OrgKind.WARD_COMMITTEE, dissolved_on__isnull=True):
        services.move_organisation(actor=ctx.actor, org=ward, new_parent=province, on_date=MERGER_DATE)
    dong_ha = Organisation.objects.get(code="19333", dissolved_on__isnull=True)
    # A provincial school: its party cell joins the ward it stands in (a guess, decisions.md).
    services.move_organisation(actor=ctx.actor, org=_live("Trường THPT chuyên Lê Quý Đôn"), new_parent=dong_ha,
                               on_date=MERGER_DATE)
    # The city police's party committee: its cells pass to the ward police where the grassroots demo made one.
    police = _live("Đảng ủy Công an thành phố Đông Hà")
    ward_police = Organisation.objects.filter(parent=dong_ha, kind=OrgKind.AGENCY, dissolved_on__isnull=True
                                              ).order_by("path").first()
    services.merge_organisations(actor=ctx.actor, sources=[police], target=ward_police or province,
                                 effective_on=MERGER_DATE, decision=REFORM_DECISION, note=REFORM_NOTE)
    by_target: dict[str, list[Organisation]] = {}
    for name, target in CITY_SUCCESSORS:
        by_target.setdefault(target, []).append(_live(name))
    # The city itself goes to the province before the bodies whose successor is also the province, so its own
    # open plan moves whole and theirs join it (rather than the other way round).
    to_province = by_target.pop(province.name, [])
    _end_posts_that_ended_with_the_city(ctx, [city, *to_province])
    for target, sources in by_target.items():
        services.merge_organisations(actor=ctx.actor, sources=sources, target=_live(target),
                                     effective_on=MERGER_DATE, decision=REFORM_DECISION, note=REFORM_NOTE)
    services.merge_organisations(actor=ctx.actor, sources=[city], target=province, effective_on=MERGER_DATE,
                                 decision=REFORM_DECISION, note=REFORM_NOTE)
    for source in to_province:
        source.refresh_from_db()  # handed to the province with the city's other sub-units
    services.merge_organisations(actor=ctx.actor, sources=to_province, target=province, effective_on=MERGER_DATE,
                                 decision=REFORM_DECISION, note=REFORM_NOTE)
    _merge_provinces(ctx, province)
    _province_leadership(ctx, province)
    # The city's accounts: the administrator, the standing committee and the viewer now work for the province
    # (the merger carried their roles over); the city's propaganda head and the veterans' account keep their
    # roles on the ceased units only — a former account, which can sign in but reads nothing.
    for user in User.objects.filter(username__in=FORMER_CITY_ACCOUNTS):
        for assignment in user.role_assignments.filter(organisation__dissolved_on__isnull=True):
            services.revoke_role(actor=ctx.actor, assignment=assignment)
    renames = {"demo.quantri": "Quản trị Tỉnh ủy", "demo.thuongtruc": "Thường trực Tỉnh ủy"}
    for username, display in renames.items():
        User.objects.filter(username=username).update(first_name=display)


PROVINCE_POSTS = ("Bí thư Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy", "Phó Bí thư Tỉnh ủy", "Ủy viên Ban Thường vụ",
                  "Ủy viên Ban Thường vụ", "Ủy viên Ban Thường vụ")


def _province_leadership(ctx: DemoContext, province: Organisation) -> None:
    """The merged province's committee as appointed from 01/07/2025, and the accounts of its standing member and of
    the propaganda board's specialist linked to their people: the province's roster was empty once the city's
    people had left, and the two accounts read as offices. Names from a random sequence of its own, so the
    seeders after it draw what they drew before."""
    import random

    from .models import Person

    rng = random.Random(20250701)
    people = []
    for post in PROVINCE_POSTS:
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        people.append(services.create_person(
            actor=ctx.actor, full_name=random_name(rng, gender), organisation=province, position=post,
            since=MERGER_DATE, gender=gender, birth_date=dt.date(rng.randint(1965, 1978), rng.randint(1, 12), 1),
            is_party_member=True, party_joined_on=dt.date(rng.randint(1990, 2000), rng.randint(1, 12), 1)))
    links = {"demo.thuongtruc": people[1],
             "demo.tinhuy": Person.objects.filter(memberships__organisation__name=PROVINCE_OFFICE,
                                                  memberships__until__isnull=True,
                                                  memberships__position="Chuyên viên").order_by("sort_key").first()}
    for username, person in links.items():
        if person is not None:
            User.objects.filter(username=username).update(person=person)


def _end_posts_that_ended_with_the_city(ctx: DemoContext, bodies: list[Organisation]) -> None:
    """The people of the city committee and of the bodies the province committee itself takes over (the military
    committee, the mass organisations, the city's own boards) were reassigned by decisions the demo does not record:
    their posts end with the city level, and the province committee's roster does not fill with "Chủ tịch Hội" and
    "Bí thư Thành đoàn". So do the posts of the two former accounts' people (Trần Thanh Tiến, Trần Thanh Bình),
    whose accounts the reform closed: the province's propaganda board already has its head."""
    from .models import Membership, Person

    last_day = MERGER_DATE - dt.timedelta(days=1)
    former = Person.objects.filter(user__username__in=FORMER_CITY_ACCOUNTS)
    ending = Membership.objects.filter(until__isnull=True).filter(
        Q(organisation__in=bodies) | Q(person__in=former, organisation__path__startswith=bodies[0].path))
    for membership in ending.select_related("person", "organisation"):
        services.end_membership(actor=ctx.actor, membership=membership,
                                until=max(last_day, membership.since or last_day))


def _merge_provinces(ctx: DemoContext, province: Organisation) -> None:
    """Quảng Bình and Quảng Trị became one Quảng Trị province on 01/07/2025 (Nghị quyết 202/2025/QH15).

    Both are top-level units here, and the product refuses to restructure a top-level unit through its forms (no
    parent to stand under); the demo records the merger with the same model and audit as a merger would."""
    from chithi.core import audit
    from chithi.core.models import AuditAction

    from .models import OrgParentPeriod, RestructuringEvent, RestructuringKind

    other = Organisation.objects.get(code="TinhU-QB")
    event = RestructuringEvent.objects.create(
        kind=RestructuringKind.MERGE, effective_on=MERGER_DATE, decision="Nghị quyết 202/2025/QH15 ngày 12/6/2025",
        note="Hợp nhất tỉnh Quảng Bình và tỉnh Quảng Trị thành tỉnh Quảng Trị")
    event.sources.set([other])
    event.results.set([province])
    audit.record(action=AuditAction.MERGE, obj=event,
                 after={"sources": [other.pk], "target": province.pk, "effective_on": MERGER_DATE.isoformat(),
                        "decision": event.decision},
                 actor=ctx.actor, org_path=province.path, related=province)
    before = audit.snapshot(other)
    Organisation.objects.filter(pk=other.pk).update(dissolved_on=MERGER_DATE, successor=province)
    OrgParentPeriod.objects.filter(organisation=other, until__isnull=True).update(until=MERGER_DATE)
    other.refresh_from_db()
    audit.record(action=AuditAction.UPDATE, obj=other, before=before, after=audit.snapshot(other), actor=ctx.actor,
                 note=f"Hợp nhất vào {province.name}", related=province)
