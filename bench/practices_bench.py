"""Benchmark of the practices room: registry ranked by spread, showcase search, replication tree.

Builds a city-sized-and-more data set (units, origin practices, replications of replications, one very
large lineage) in the database named by DATABASE_URL (default: a throw-away SQLite file under var/), then
prints timings and query counts. Run:

    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_practices .venv/bin/python bench/practices_bench.py
    .venv/bin/python bench/practices_bench.py            # SQLite in var/bench_practices.sqlite3
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_practices.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from chithi.core.models import User  # noqa: E402
from chithi.core.text import fold, vi_sort_key  # noqa: E402
from chithi.orgs import services as org_services  # noqa: E402
from chithi.orgs.models import Organisation, OrgKind  # noqa: E402
from chithi.practices import selectors  # noqa: E402
from chithi.practices.filters import PracticeFilterSet, PublicPracticeFilterSet  # noqa: E402
from chithi.practices.models import LINEAGE_STEP, Practice, Replication  # noqa: E402

UNITS = int(os.environ.get("BENCH_UNITS", "300"))
ORIGINS = int(os.environ.get("BENCH_ORIGINS", "3000"))
BIG_TREE = int(os.environ.get("BENCH_BIG_TREE", "600"))
WORDS = ["Hũ gạo tình thương", "Nuôi heo đất", "Cột điện nở hoa", "Bát cháo yêu thương", "Tổ tự quản",
         "Camera an ninh", "Đoạn đường tự quản", "Quỹ giúp nhau", "Loa pháp luật", "Tủ sách", "Vườn rau"]
FIELDS = ["law", "security", "traffic", "economy", "welfare", "education", "party", "culture"]


def timed(label: str, func: Any, repeat: int = 5) -> Any:
    result = None
    samples = []
    queries = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = func()
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(ctx)
    print(f"  {label:<58} median {statistics.median(samples):8.1f} ms   max {max(samples):8.1f} ms   "
          f"{queries} queries")
    return result


def build() -> tuple[User, User, Practice]:
    rng = random.Random(5)
    root = User.objects.create_superuser("bench-root", "bench@example.vn", "bench-pass-1")
    city = org_services.create_organisation(actor=root, name="Thành ủy Bench", kind=OrgKind.PARTY_COMMITTEE)
    wards = [org_services.create_organisation(actor=root, name=f"Đảng ủy phường {i}", kind=OrgKind.WARD_COMMITTEE,
                                              parent=city) for i in range(10)]
    units = list(wards)
    for i in range(UNITS - len(wards)):
        units.append(org_services.create_organisation(actor=root, name=f"Chi bộ khu phố {i}",
                                                      kind=OrgKind.PARTY_CELL, parent=wards[i % len(wards)]))
    secretary = User.objects.create_user("bench-ward", "ward@example.vn", "bench-pass-1")
    org_services.assign_role(actor=root, user=secretary, organisation=wards[0], role="secretary")

    def practice(name: str, unit: Organisation, public: bool) -> Practice:
        fields = rng.sample(FIELDS, rng.randint(1, 2))
        return Practice(name=name, organisation=unit, fields="," + ",".join(fields) + ",",
                        started_on=dt.date(2019, 1, 1), is_public=public, name_key=fold(name),
                        search_text=fold(f"{name} {unit.name}"),
                        sort_key=vi_sort_key(name), lineage_path=f"tmp-{rng.random()}")

    origins = Practice.objects.bulk_create([
        practice(f"{rng.choice(WORDS)} số {i}", rng.choice(units), rng.random() < 0.5) for i in range(ORIGINS)])
    for p in origins:
        p.lineage_path = f"{p.pk:0{LINEAGE_STEP}d}/"
    Practice.objects.bulk_update(origins, ["lineage_path"], batch_size=1000)

    def replicate(parents: list[Practice], count: int) -> list[Practice]:
        children = []
        for _i in range(count):
            parent = rng.choice(parents)
            unit = rng.choice(units)
            if unit.pk == parent.organisation_id:
                continue
            child = practice(f"{parent.name} tại {unit.name} {rng.random():.6f}", unit, parent.is_public)
            child.lineage_depth = parent.lineage_depth + 1
            child._parent = parent  # type: ignore[attr-defined]
            children.append(child)
        Practice.objects.bulk_create(children)
        for child in children:
            child.lineage_path = f"{child._parent.lineage_path}{child.pk:0{LINEAGE_STEP}d}/"  # type: ignore[attr-defined]
        Practice.objects.bulk_update(children, ["lineage_path"], batch_size=1000)
        Replication.objects.bulk_create([Replication(origin=c._parent, adopting=c,  # type: ignore[attr-defined]
                                                     adopted_on=dt.date(2021, 1, 1)) for c in children])
        return children

    level1 = replicate(origins, ORIGINS * 3)
    replicate(level1, ORIGINS)
    big = origins[0]
    tree = [big]
    while len(tree) < BIG_TREE:
        # Grow the big lineage a layer at a time from any of its nodes so far (depth stays realistic).
        tree += replicate(tree, min(BIG_TREE - len(tree), len(tree) * 3))
    # The services keep `reach` on every write; bulk-built data gets it computed once here.
    everything = list(Practice.objects.only("pk", "organisation_id", "lineage_path", "reach"))
    org_of = {p.pk: p.organisation_id for p in everything}
    reached: dict[int, set[int]] = {}
    for p in everything:
        for ancestor in [int(s) for s in p.lineage_path.strip("/").split("/")][:-1]:
            if org_of[ancestor] != p.organisation_id:
                reached.setdefault(ancestor, set()).add(p.organisation_id)
    for p in everything:
        p.reach = len(reached.get(p.pk, ()))
    Practice.objects.bulk_update(everything, ["reach"], batch_size=2000)
    return root, secretary, big


def main() -> None:
    call_command("migrate", verbosity=0)
    if Practice.objects.exists():
        print("The benchmark database already has practices; use an empty database.")
        sys.exit(1)
    vendor = connection.vendor
    started = time.perf_counter()
    with transaction.atomic():
        root, secretary, big = build()
    print(f"chithi practices benchmark on {vendor}: built {Practice.objects.count():,} practices "
          f"({Replication.objects.count():,} replications) over {Organisation.objects.count():,} units "
          f"in {time.perf_counter() - started:.1f}s; largest lineage {Practice.objects.lineage_of(big).count()} nodes")

    def registry(user: User) -> list[Practice]:
        fs = PracticeFilterSet({}, queryset=selectors.visible_practices(user))
        return list(fs.qs[:50])

    timed("registry, first page ranked by spread (city admin)", lambda: registry(root))
    timed("registry, first page ranked by spread (ward secretary)", lambda: registry(secretary))
    timed("registry, search 'hu gao' (city admin)",
          lambda: list(PracticeFilterSet({"q": "hu gao"}, queryset=selectors.visible_practices(root)).qs[:50]))
    timed("showcase, search 'hu gao' (anonymous, first page)",
          lambda: list(PublicPracticeFilterSet({"q": "hu gao"}, queryset=selectors.public_practices()).qs[:12]))
    timed("showcase, filter by field 'welfare' (first page)",
          lambda: list(PublicPracticeFilterSet({"field": "welfare"}, queryset=selectors.public_practices()).qs[:12]))
    nodes = timed(f"replication tree of the largest lineage ({BIG_TREE} nodes)",
                  lambda: selectors.lineage(practice=big, user=root))
    timed("map of units for that lineage", lambda: selectors.unit_map(nodes))
    timed("replication tree, public view", lambda: selectors.lineage(practice=big, public=True))


if __name__ == "__main__":
    main()
