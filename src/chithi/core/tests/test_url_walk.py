"""Walk every URL pattern of every room (core.testing): the login wall on every view not marked public, no
citizen's personal data on the public ones, and each GET view's query count against its committed baseline."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chithi.core.rooms import rooms
from chithi.core.testing import (
    Sample,
    is_public,
    load_baseline,
    personal_data_makers,
    samples,
    save_baseline,
    updating_baselines,
    walked_urls,
    wording_problems,
)
from chithi.core.tests.samples import PUBLIC_ENTRY_POINTS


def _behind_login_wall(response: Any) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith("/dang-nhap/")
    return response.status_code in (401, 403)


@pytest.mark.parametrize("room", [room.label for room in rooms()])
def test_walk_every_url_of_the_room(room: str, world: Any, client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    known = samples()
    personal = [text for make in personal_data_makers() for text in make(world)]
    baseline = load_baseline(room)
    counts: dict[str, int] = {}
    problems: list[str] = []
    for url in [u for u in walked_urls() if u.room == room]:
        sample = known.get(url.name)
        if sample is None:
            if url.has_args:
                problems.append(f"{url.name}: no Sample in {room}/tests/samples.py to fill its arguments")
                continue
            sample = Sample()
        path = reverse(url.name, kwargs=sample.kwargs(world) or None)
        if sample.query:
            path = f"{path}?{sample.query}"
        anonymous = Client()
        public = is_public(url.callback) or url.name in PUBLIC_ENTRY_POINTS
        if public:
            if not sample.post_only:
                body = anonymous.get(path).content.decode(errors="replace")
                leaked = [text for text in personal if text in body]
                if leaked:
                    problems.append(f"{url.name} ({path}) is public and shows personal data: {leaked}")
        else:
            response = anonymous.post(path) if sample.post_only else anonymous.get(path)
            if not _behind_login_wall(response):
                problems.append(f"{url.name} ({path}) is not marked public but answered a visitor "
                                f"{response.status_code}")
        if sample.post_only or sample.skip_counts:
            continue
        client.force_login(world.user(sample.role))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            problems.append(f"{url.name} ({path}) answered {response.status_code} to {sample.role}")
            continue
        counts[url.name] = len(queries)
        if not response.streaming:
            problems.extend(f"{url.name} ({path}) {problem}" for problem in wording_problems(
                response.content.decode(errors="replace")))
        expected = baseline.get(url.name)
        if updating_baselines():
            continue
        if expected is None:
            problems.append(f"{url.name}: no query-count baseline ({len(queries)} queries); run with "
                            f"CHITHI_UPDATE_QUERY_COUNTS=1 to record it")
        elif len(queries) > expected:
            problems.append(f"{url.name} ({path}): {len(queries)} queries, baseline {expected}")
    if updating_baselines() and counts:
        save_baseline(room, counts)
    assert not problems, "\n".join(problems)

