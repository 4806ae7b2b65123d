"""Generator step of the practices room: good-practice models in one cell of twenty, and replications of them
(a replication tree with its materialised lineage path and stored reach, as the services keep them)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from harness import GenContext, generator_step

from chithi.core.text import fold, vi_sort_key
from chithi.practices.models import LINEAGE_STEP, Practice, PracticeField, Replication

NATIONAL_ORIGINS = 3_000
REPLICATIONS_PER_ORIGIN = 2
NAMES = ["Hũ gạo tình thương", "Nuôi heo đất tiết kiệm", "Cột điện nở hoa", "Bát cháo yêu thương",
         "Tổ tự quản an ninh", "Camera an ninh khu dân cư", "Đoạn đường tự quản", "Loa pháp luật", "Tủ sách chi bộ"]


@generator_step("practices", after=("orgs",))
def practices(ctx: GenContext) -> None:
    cells: list[tuple[int, str, int]] = ctx.shared["cells"]
    names_of = {pk: name for pk, _path, name in ctx.shared["units"]}
    rng = ctx.rng()
    fields = [value for value, _label in PracticeField.choices]
    with translation.override("vi"):  # the services fold the field labels of the language in use
        labels = {value: str(label) for value, label in PracticeField.choices}
    n_origins = ctx.count(NATIONAL_ORIGINS)
    columns = ["id", "name", "organisation_id", "fields", "description", "started_on", "status", "is_public",
               "lineage_path", "lineage_depth", "reach", "name_key", "search_text", "sort_key"]
    pk = 0
    replications: list[tuple[int, int, dt.date]] = []
    with ctx.rows_of(Practice, columns) as rows:
        for number in range(n_origins):
            unit = cells[(number * 20) % len(cells)][0]
            field = fields[int(rng.random() * len(fields))]
            name = f"{NAMES[number % len(NAMES)]} số {number + 1}"
            started = dt.date(2018 + int(rng.random() * 7), 1 + int(rng.random() * 12), 1)
            pk += 1
            origin_pk, origin_path = pk, f"{pk:0{LINEAGE_STEP}d}/"
            adopters = [cells[int(rng.random() * len(cells))][0] for _ in range(REPLICATIONS_PER_ORIGIN)]
            adopters = [a for a in dict.fromkeys(adopters) if a != unit]
            _add(rows, pk, name, unit, names_of[unit], field, labels, started, origin_path, 0, len(adopters))
            for adopter in adopters:
                pk += 1
                adopted = started + dt.timedelta(days=200 + int(rng.random() * 500))
                _add(rows, pk, name, adopter, names_of[adopter], field, labels, adopted,
                     f"{origin_path}{pk:0{LINEAGE_STEP}d}/", 1, 0)
                replications.append((origin_pk, pk, adopted))
    with ctx.rows_of(Replication, ["origin_id", "adopting_id", "adopted_on", "adaptation_notes"]) as rows:
        for origin, adopting, adopted in replications:
            rows.add(origin, adopting, adopted, "Điều chỉnh cho phù hợp với địa bàn")


def _add(rows: object, pk: int, name: str, unit: int, unit_name: str, field: str, labels: dict[str, str],
         started: dt.date, lineage: str, depth: int, reach: int) -> None:
    description = "Mô hình do chi bộ xây dựng, được Nhân dân hưởng ứng"
    search_text = fold(" ".join(filter(None, [name, description, unit_name, "", labels[field]])))
    rows.add(pk, name, unit, f",{field},", description, started, "running", True, lineage, depth,  # type: ignore[attr-defined]
             reach, fold(name), search_text, vi_sort_key(name))
