"""Crawl the demo as each demo user (and anonymously): every page and API list reached in two clicks answers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5440/carenet .venv/bin/python scripts/page_crawl.py

Run on a database with the demo loaded (``manage.py load_demo``); issue 25 runs it on the Citus coordinator
and on single-node PostgreSQL and compares. Follows same-site GET links (not sign-out, exports, downloads),
at most ``CRAWL_PAGES`` per user (default 60). Prints the count of pages by status and every failure (a
server error, with its exception); exits non-zero on any server error.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from carenet.accounts.models import User  # noqa: E402

LIMIT = int(os.environ.get("CRAWL_PAGES", "60"))
HREF = re.compile(r'href="(/[^"#]*)"')
AVOID = re.compile(
    r"logout|sign-out|/export|download|\.csv|\.xlsx|\.pdf|\.ods|/static/|/media/|/i18n/|platform-admin|jsi18n"
)
START = [
    "/dashboard/",
    "/cases/",
    "/people/",
    "/referrals/",
    "/plans/",
    "/audit/",
    "/api/v1/persons/",
    "/api/v1/cases/",
    "/api/v1/deliveries/",
    "/api/hsds/services",
    "/api/hsds/baia-mare/services",
]


def crawl(client: Client, starts: list[str]) -> tuple[Counter[int], list[str]]:
    seen: set[str] = set()
    queue = list(starts)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen or AVOID.search(url):
            continue
        seen.add(url)
        try:
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        except Exception:
            statuses[500] += 1
            failures.append(f"{url}: {traceback.format_exc(limit=-3)}")
            continue
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for link in HREF.findall(response.content.decode(errors="replace")):
                if link not in seen:
                    queue.append(link.replace("&amp;", "&"))
    return statuses, failures


def main() -> int:
    setup_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    users = list(
        User.objects.filter(username__contains=".").exclude(username__startswith="bench-").order_by("username")
    )
    total: Counter[int] = Counter()
    failures: list[str] = []
    for user in [None, *users]:
        client = Client(raise_request_exception=True)
        if user is not None:
            client.force_login(user)
        statuses, failed = crawl(client, ["/", "/baia-mare/", "/balti/"] if user is None else START)
        total.update(statuses)
        failures += [f"{user or 'anonymous'} {f}" for f in failed]
        print(f"{user or 'anonymous'!s:<24} {sum(statuses.values()):>4} pages  {dict(sorted(statuses.items()))}")
    print(f"\nall: {sum(total.values())} pages, by status {dict(sorted(total.items()))}")
    for failure in failures:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
