"""The navigation links only to pages the user may open: every entry it shows answers 200."""

from __future__ import annotations

import re
from typing import Any

import pytest

from carenet.testing.factories import make_user

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _nav_links(client: Any) -> list[str]:
    page = client.get("/dashboard/", follow=True)
    assert page.status_code == 200
    nav = NAV.search(page.content.decode())
    return HREF.findall(nav.group(0)) if nav else []


def _every_link_opens(client: Any, user: Any) -> None:
    client.force_login(user)
    links = _nav_links(client)
    assert links, "the navigation shows at least one page"
    refused = {link: client.get(link, follow=True).status_code for link in links}
    assert {link: code for link, code in refused.items() if code != 200} == {}


@pytest.mark.parametrize(
    "who", ["caseworker_a", "supervisor_a", "manager_a", "coordinator", "auditor", "other_tenant_user"]
)
def test_a_staff_member_sees_only_links_that_open(client: Any, request: Any, who: str) -> None:
    _every_link_opens(client, request.getfixturevalue(who))


def test_the_platform_administrator_sees_only_links_that_open(client: Any, db: Any) -> None:
    admin = make_user("platform", None, is_superuser=True, is_staff=True)
    _every_link_opens(client, admin)


def test_the_help_queue_links_to_the_announcements_only_for_who_may_publish(
    client: Any, caseworker_a: Any, manager_a: Any
) -> None:
    client.force_login(caseworker_a)
    queue = client.get("/portal/help/")
    assert queue.status_code == 200
    assert b"/portal/help/news/" not in queue.content
    assert client.get("/portal/help/news/").status_code == 403
    client.force_login(manager_a)
    assert b"/portal/help/news/" in client.get("/portal/help/").content
