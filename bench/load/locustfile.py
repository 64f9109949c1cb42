"""A realistic mix on one city: citizens search, caseworkers work their cases, coordinators read lists.

Weights (per simulated user): 6 citizens (public finder and HSDS API, no login), 3 caseworkers
("my cases", a case, the person's page), 1 coordinator (all cases, plans, the cases API).
Sessions and ids come from the file written by bench/load/run.py (BENCH_LOAD_FIXTURE).
Every non-200 answer counts as a failure.
"""

from __future__ import annotations

import json
import os
import random
import urllib.parse

from locust import HttpUser, between, task

FIXTURE = json.loads(open(os.environ["BENCH_LOAD_FIXTURE"], encoding="utf-8").read())  # noqa: SIM115
SLUG = FIXTURE["slug"]
QUERIES = ["cantina", "ingrijire domiciliu", "copii", "dizabilitati", "adapost", "consiliere", "Bălți", "batrani"]


class Citizen(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    @task(3)
    def finder(self) -> None:
        q = urllib.parse.quote(random.choice(QUERIES))
        self.client.get(f"/{SLUG}/services/?q={q}", name="finder search")

    @task(1)
    def service_page(self) -> None:
        self.client.get(f"/{SLUG}/services/{random.choice(FIXTURE['services'])}/", name="finder service page")

    @task(2)
    def hsds(self) -> None:
        q = urllib.parse.quote(random.choice(QUERIES))
        self.client.get(f"/api/hsds/{SLUG}/services?search={q}", name="HSDS search")


class Caseworker(HttpUser):
    weight = 3
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.me = random.choice(FIXTURE["caseworkers"])
        self.client.cookies.set("sessionid", self.me["session"])

    @task(3)
    def my_cases(self) -> None:
        self.client.get("/cases/", name="my cases")

    @task(2)
    def case_page(self) -> None:
        self.client.get(f"/cases/{random.choice(self.me['cases'])}/", name="case page")

    @task(2)
    def person_page(self) -> None:
        self.client.get(f"/people/{random.choice(self.me['persons'])}/?purpose=cover", name="person page")


class Coordinator(HttpUser):
    weight = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", FIXTURE["coordinator"])

    @task(2)
    def all_cases(self) -> None:
        self.client.get("/cases/all/", name="coordinator: all cases")

    @task(1)
    def plans(self) -> None:
        self.client.get("/plans/", name="coordinator: plans")

    @task(1)
    def cases_api(self) -> None:
        self.client.get("/api/v1/cases/", name="coordinator: cases API")
