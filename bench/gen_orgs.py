"""Generator steps of the orgs room: the national tree (central → 34 provinces → 3,321 wards and communes →
party cells), people with their memberships, and the benchmark users with their roles."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import vietnam_provinces as vp
from harness import NULL, GenContext, generator_step

from chithi.core.models import User
from chithi.core.permissions import Role
from chithi.core.text import fold, person_sort_key, vi_sort_key
from chithi.orgs.models import PATH_STEP, Membership, Organisation, OrgKind, OrgParentPeriod, Person, RoleAssignment

NATIONAL_CELLS = 60_000
NATIONAL_PEOPLE = 5_000_000
FOUNDED = dt.date(2010, 1, 1)

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 2), ("Phan", 4),
          ("Vũ", 3), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1)]
MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Đình", "Quốc"],
          "female": ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mai", "Thị Thu", "Hồng", "Diệu", "Bích"]}
GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Lợi",
                  "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Tiến", "Toàn", "Trung",
                  "Tuấn", "Việt", "Vinh", "Vũ"],
         "female": ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên",
                    "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy",
                    "Trang", "Tuyết", "Vân", "Yến"]}


@lru_cache(maxsize=200_000)
def org_text(name: str, short_name: str, code: str) -> tuple[str, str]:
    """(search_text, sort_key) exactly as orgs.services writes them."""
    return fold(" ".join(filter(None, [name, short_name, code]))), vi_sort_key(name)


@lru_cache(maxsize=200_000)
def person_name_keys(full_name: str) -> tuple[str, str]:
    return fold(full_name), person_sort_key(full_name)


def path_of(parent_path: str, pk: int) -> str:
    return f"{parent_path}{pk:0{PATH_STEP}d}/"


def _province_committee(province: Any) -> str:
    return f"Thành ủy {province.name.removeprefix('Thành phố ')}" if province.name.startswith("Thành phố") \
        else f"Tỉnh ủy {province.name.removeprefix('Tỉnh ')}"


@generator_step("orgs")
def orgs(ctx: GenContext) -> None:
    """Ids are given here (1, 2, …) so that paths are written in the same pass; sequences are reset after."""
    wards_all = sorted(vp.Ward.iter_all(), key=lambda w: (int(w.province_code), int(w.code)))
    wards_src = wards_all[: ctx.count(len(wards_all))]
    province_codes = sorted({int(w.province_code) for w in wards_src})
    provinces_src = [p for p in sorted(vp.Province.iter_all(), key=lambda p: int(p.code))
                     if int(p.code) in province_codes]
    n_cells = ctx.count(NATIONAL_CELLS, minimum=len(wards_src))
    next_id = iter(range(1, 10**9))
    units: list[tuple[int, str, str]] = []  # (id, path, name) of every unit
    with ctx.rows_of(Organisation, ["id", "name", "short_name", "code", "kind", "parent_id", "path", "depth",
                                    "residential", "established_on", "search_text", "sort_key"]) as org_rows, \
            ctx.rows_of(OrgParentPeriod, ["organisation_id", "parent_id", "since"]) as periods:

        def add(name: str, short: str, code: str, kind: str, parent: tuple[int, str] | None, depth: int,
                residential: bool = False) -> tuple[int, str]:
            pk = next(next_id)
            path = path_of(parent[1] if parent else "", pk)
            search_text, sort_key = org_text(name, short, code)
            org_rows.add(pk, name, short, code, kind, parent[0] if parent else None, path, depth, residential,
                         FOUNDED, search_text, sort_key)
            periods.add(pk, parent[0] if parent else None, FOUNDED)
            units.append((pk, path, name))
            return pk, path

        root = add("Ban Chấp hành Trung ương Đảng", "Trung ương", "TW", OrgKind.PARTY_COMMITTEE, None, 0)
        province_of: dict[int, tuple[int, str]] = {}
        for province in provinces_src:
            province_of[int(province.code)] = add(_province_committee(province), province.name,
                                                  f"{int(province.code):02d}", OrgKind.PARTY_COMMITTEE, root, 1)
        wards: list[tuple[int, str, str, int]] = []
        for ward in wards_src:
            pk, path = add(f"Đảng ủy {ward.name[0].lower()}{ward.name[1:]}", ward.name, f"{int(ward.code):05d}",
                           OrgKind.WARD_COMMITTEE, province_of[int(ward.province_code)], 2)
            wards.append((pk, path, ward.name, province_of[int(ward.province_code)][0]))
        cells: list[tuple[int, str, int]] = []
        per_ward = [n_cells // len(wards) + (1 if i < n_cells % len(wards) else 0) for i in range(len(wards))]
        for (ward_id, ward_path, ward_name, _province), count in zip(wards, per_ward, strict=True):
            village = "khu phố" if ward_name.startswith("Phường") else "thôn"
            for number in range(1, count + 1):
                if number % 10 == 0:
                    name, residential = f"Chi bộ Trường Tiểu học số {number // 10} — {ward_name}", False
                else:
                    name, residential = f"Chi bộ {village} {number} — {ward_name}", True
                pk, path = add(name, "", "", OrgKind.PARTY_CELL, (ward_id, ward_path), 3, residential)
                cells.append((pk, path, ward_id))
    ctx.shared.update(root=root, provinces=list(province_of.values()), wards=wards, cells=cells, units=units)


@generator_step("people", after=("orgs",))
def people(ctx: GenContext) -> None:
    """Party members in the cells (the first of each cell is its secretary); 4% moved cell once before."""
    cells: list[tuple[int, str, int]] = ctx.shared["cells"]
    n_people = ctx.count(NATIONAL_PEOPLE)
    rng = ctx.rng()
    families = [name for name, weight in FAMILY for _ in range(weight)]
    person_fields = ["id", "full_name", "gender", "birth_date", "is_party_member", "party_joined_on", "phone",
                     "search_text", "sort_key"]
    secretaries: dict[int, int] = {}
    # Dates as text from small tables, compared as text (ISO dates sort as they read): no date object a person
    # but for the 4% who moved.
    month_day = [[f"-{m:02d}-{d:02d}" for d in range(1, 29)] for m in range(1, 13)]
    first_of = [f"-{m:02d}-01" for m in range(1, 13)]
    # Every name a family (as weighted), middle and given name make, with its search and sort keys, by indexes.
    names = {gender: [[[(f"{family} {middle} {given}", *person_name_keys(f"{family} {middle} {given}"))
                        for given in GIVEN[gender]] for middle in MIDDLE[gender]] for family in families]
             for gender in ("male", "female")}
    n_families = len(families)
    n_cells = len(cells)
    cell_ids = [cell[0] for cell in cells]
    random = rng.random
    with ctx.rows_of(Person, person_fields) as person_rows, \
            ctx.rows_of(Membership, ["person_id", "organisation_id", "position", "since", "until"]) as members:
        person, member = person_rows.add_text, members.add_text
        for pk in range(1, n_people + 1):
            gender = "female" if random() < 0.42 else "male"
            by_family = names[gender][int(random() * n_families)]
            by_middle = by_family[int(random() * len(by_family))]
            full_name, folded, sort_key = by_middle[int(random() * len(by_middle))]
            phone = f"09{(pk * 7919) % 100_000_000:08d}"
            born_year = 1950 + int(random() * 50)
            born = f"{born_year}{month_day[int(random() * 12)][int(random() * 28)]}"
            joined = f"{born_year + 20 + int(random() * 15)}{first_of[int(random() * 12)]}"
            person(pk, full_name, gender, born, "t", joined, phone, f"{folded} {phone}", sort_key)
            cell = cell_ids[(pk - 1) % n_cells]
            since = joined if joined > "2015-01-01" else "2015-01-01"
            if random() < 0.04:
                previous = cell_ids[int(random() * n_cells)]
                moved = dt.date.fromisoformat(since) + dt.timedelta(days=365 + int(random() * 2000))
                member(pk, previous, "Đảng viên", since, moved - dt.timedelta(days=1))
                since = moved.isoformat()
            position = "Đảng viên"
            if cell not in secretaries:
                secretaries[cell] = pk
                position = "Bí thư Chi bộ"
            member(pk, cell, position, since, NULL)
    ctx.shared["people"] = n_people
    ctx.shared["secretaries"] = secretaries


@generator_step("users", after=("orgs",))
def users(ctx: GenContext) -> None:
    """Benchmark logins: a central leader, a province leader and a ward secretary (password unusable)."""
    root, province, ward = ctx.shared["root"], ctx.shared["provinces"][0], ctx.shared["wards"][0]
    now = ctx.now
    logins = [(1, "bench.central", root[0], Role.LEADER), (2, "bench.province", province[0], Role.LEADER),
              (3, "bench.ward", ward[0], Role.SECRETARY)]
    with ctx.rows_of(User, ["id", "password", "username", "first_name", "is_active", "date_joined"]) as rows:
        for pk, username, _org, _role in logins:
            rows.add(pk, "!", username, username.split(".")[1].title(), True, now)
    with ctx.rows_of(RoleAssignment, ["user_id", "organisation_id", "role"]) as rows:
        for pk, _username, org, role in logins:
            rows.add(pk, org, role)
    ctx.shared["users"] = {username: pk for pk, username, _o, _r in logins}
