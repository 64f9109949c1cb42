"""Every demo user, every link: signed in as each of the 15 demo users, follow every link of every page
reached from the home page (bounded per user): no 500, no 404 and no 403 behind a link the page showed.
And the role home pages in Russian keep no English or Romanian catalogue text."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from carenet.accounts.models import User

PAGES_PER_USER = 150
# Links that leave the signed-in session or are not pages (sign-out is a POST form; files are served after
# their own checks, and counted: a download link that answers 403/404 still fails).
SKIP = re.compile(r"^/(static|media|i18n|account/logout|admin)/")
HOME = "/dashboard/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(urldefrag(href)[0])


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [link for link in parser.links if link and not SKIP.match(link)]


def _crawl(client, start: str, limit: int) -> tuple[list[tuple[str, str, int]], int]:
    """(page, linked from, status) of every failure, and how many pages were fetched."""
    seen = {start}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    failures = []
    fetched = 0
    while queue and fetched < limit:
        url, source = queue.popleft()
        response = client.get(url)
        fetched += 1
        status = response.status_code
        if status >= 500 or (source and status in (403, 404)):
            failures.append((url, source, status))
            continue
        if status in (301, 302):
            location = response["Location"]
            if location.startswith("/") and location not in seen and not SKIP.match(location):
                seen.add(location)
                queue.append((location, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            path = urlsplit(link).path
            # One page per pattern of query (a long list's ?page=2, ?page=3 … is one page to check).
            key = link if "page=" not in link else path + "?page"
            if key not in seen:
                seen.add(key)
                queue.append((link, url))
    return failures, fetched


@pytest.mark.django_db
def test_every_demo_user_follows_every_link_without_an_error_or_a_refusal(client, settings):
    settings.CARENET_REQUIRE_2FA = False
    call_command("load_demo")
    users = list(User.objects.filter(is_demo=True).order_by("username"))
    assert len(users) == 15
    report = {}
    total = 0
    for user in users:
        client.force_login(user)
        failures, fetched = _crawl(client, HOME, PAGES_PER_USER)
        total += fetched
        if failures:
            report[user.username] = failures[:10]
        client.logout()
    print(f"crawl: {len(users)} users, {total} pages")
    assert report == {}


# --- No English or Romanian left in a Russian page ---------------------------------------------------------

ROLE_USERS = ("balti.caseworker", "balti.manager", "balti.coordinator", "balti.auditor")


def _catalogue_texts() -> tuple[set[str], set[str]]:
    """English msgids and their Romanian translations from every app's catalogue: phrases of two words or
    more (a single word may be a name or shared by the languages)."""
    import polib

    english, romanian = set(), set()
    for po in Path(__file__).resolve().parents[2].glob("*/locale/ro/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po)):
            if entry.obsolete or "%" in entry.msgid or "{" in entry.msgid:
                continue
            if len(entry.msgid.split()) >= 2 and len(entry.msgid) >= 10:
                english.add(entry.msgid)
            if (
                entry.msgstr
                and len(entry.msgstr.split()) >= 2
                and len(entry.msgstr) >= 10
                and entry.msgstr != entry.msgid
            ):
                romanian.add(entry.msgstr)
    return english, romanian


class _Text(HTMLParser):
    """The text a reader sees, without what is in another language on purpose: an element with its own
    ``lang``, and data marked ``translate="no"`` (names of persons, services and organisations, task titles)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        marked = any(k == "lang" for k, _ in attrs) or ("translate", "no") in attrs
        own = tag in ("script", "style", "option") or (marked and tag != "html")
        self.stack.append(own)
        self.skip += own

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.skip -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html.split("<main", 1)[-1])  # the page's own content (the shell is tested elsewhere)
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.django_db
def test_the_role_home_pages_in_russian_keep_no_english_or_romanian_catalogue_text(client, settings):
    settings.CARENET_REQUIRE_2FA = False
    call_command("load_demo")
    english, romanian = _catalogue_texts()
    assert len(english) > 500
    leftovers = {}
    for username in ROLE_USERS:
        client.force_login(User.objects.get(username=username))
        html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        assert 'lang="ru"' in html
        text = _visible_text(html)
        found = sorted(s for s in english | romanian if s in text)
        if found:
            leftovers[username] = found[:10]
        client.logout()
    assert leftovers == {}
