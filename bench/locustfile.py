"""Locust scenario: citizens browse the public pages, submit and track issues; ward staff work their queue.

Run by bench/bench_locust.py (headless, bounded in time, loopback only); by hand:
    .venv/bin/locust -f bench/locustfile.py --headless -u 30 -r 10 -t 60s --host http://127.0.0.1:18152
Staff sign in as the user named by BENCH_STAFF_USER with BENCH_STAFF_PASSWORD (bench_locust.py creates it).
"""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ISSUE_LINK = re.compile(r'href="/phan-anh-kien-nghi/(\d+)/"')
CATEGORIES = ["trat-tu-do-thi", "ve-sinh-moi-truong", "giao-thong", "dien-chieu-sang"]


class Citizen(HttpUser):
    """Most visitors read; some raise an issue and come back to follow it."""

    weight = 8
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.codes: list[str] = []

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="/ (public home)")

    @task(3)
    def answers(self) -> None:
        self.client.get("/phan-anh/", name="/phan-anh/ (answered issues)")

    @task(2)
    def showcase(self) -> None:
        self.client.get("/mo-hinh/", name="/mo-hinh/ (practices showcase)")

    @task(1)
    def intake_form(self) -> None:
        self.client.get("/gop-y/", name="/gop-y/ (form)")

    @task(2)
    def submit(self) -> None:
        with self.client.post("/gop-y/api/", json={
                "category": random.choice(CATEGORIES), "description": "Đèn đường trước nhà văn hóa bị hỏng",
                "address": "Kiệt 5 Lê Lợi", "consent_to_publish": True}, name="/gop-y/api/ (submit)",
                catch_response=True) as response:
            if response.status_code == 201:
                self.codes.append(response.json()["tracking_code"])
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @task(2)
    def track(self) -> None:
        if self.codes:
            self.client.get(f"/tra-cuu/{random.choice(self.codes)}/", name="/tra-cuu/<code>/ (track)")


class Staff(HttpUser):
    """A ward's staff member: the queue, an issue's page, the roll-up."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        page = self.client.get("/dang-nhap/", name="/dang-nhap/")
        token = CSRF.search(page.text)
        self.client.post("/dang-nhap/", data={
            "username": os.environ.get("BENCH_STAFF_USER", "bench.staff"),
            "password": os.environ.get("BENCH_STAFF_PASSWORD", ""),
            "csrfmiddlewaretoken": token.group(1) if token else ""}, name="/dang-nhap/ (sign in)")
        self.issue_ids: list[str] = []

    @task(4)
    def queue(self) -> None:
        response: Any = self.client.get("/phan-anh-kien-nghi/", name="/phan-anh-kien-nghi/ (queue)")
        self.issue_ids = ISSUE_LINK.findall(response.text)[:20] or self.issue_ids

    @task(3)
    def issue(self) -> None:
        if self.issue_ids:
            self.client.get(f"/phan-anh-kien-nghi/{random.choice(self.issue_ids)}/",
                            name="/phan-anh-kien-nghi/<id>/ (issue)")

    @task(1)
    def rollup(self) -> None:
        self.client.get("/tien-do/", name="/tien-do/ (roll-up)")
