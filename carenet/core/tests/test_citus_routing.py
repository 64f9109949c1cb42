"""On Citus, the pages people work in run each query on one shard (decision 0011, issue 25).

Every query of a page runs on the cluster with ``citus.multi_task_query_log_level = notice``: Citus sends a
notice for each query it runs as several shard tasks (a multi-shard query, visiting every shard). The others
are router queries — one shard, one municipality — or run on the coordinator alone (reference and
coordinator-local tables). The main pages of a caseworker and of a coordinator must need no multi-shard
query; the cross-tenant reads (the national HSDS feed) are the allowed exception and do fan out.
What the queries ran as is what is counted (not an EXPLAIN after the fact). Each page's counts go to
var/citus-routing.txt, which the Citus leg prints.

Runs only where the database is a Citus coordinator (the Citus leg of CI, scripts/citus_ci.sh, which fails it
on a database without Citus); not run elsewhere.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from carenet.referrals.tests.conftest import consent_for_b, person_a, sent_referral, service_b  # noqa: F401  (case_a: carenet.testing)
from carenet.testing import ROOT

pytestmark = pytest.mark.django_db

REPORT = ROOT / "var" / "citus-routing.txt"  # page, queries, router or coordinator, multi-shard
SKIP = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET ", "SHOW ", "RESET ")


@pytest.fixture(autouse=True)
def _on_citus(on_citus):  # type: ignore[no-untyped-def]
    """Only on a Citus coordinator (carenet/core/tests/conftest.py)."""


@contextmanager
def routing() -> Iterator[dict[str, list[str]]]:
    """The statements run inside the block: ``all`` of them and the ``multi_shard`` ones."""
    found: dict[str, list[str]] = {"all": [], "multi_shard": []}
    current: dict[str, str] = {}

    def notice(diagnostic: Any) -> None:
        if "multi-task query" in (diagnostic.message_primary or ""):
            found["multi_shard"].append(current.get("sql", "?"))

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        current["sql"] = sql
        if not sql.lstrip().upper().startswith(SKIP):
            found["all"].append(sql)
        return execute(sql, params, many, context)

    connection.ensure_connection()
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SET citus.multi_task_query_log_level = notice")
    raw.add_notice_handler(notice)
    try:
        with connection.execute_wrapper(wrapper):
            yield found
    finally:
        raw.remove_notice_handler(notice)
        with connection.cursor() as cursor:
            cursor.execute("RESET citus.multi_task_query_log_level")


def reach(client, url):  # type: ignore[no-untyped-def]
    """The page's queries: how many, and the multi-shard ones."""
    with routing() as found:
        response = client.get(url)
    assert response.status_code == 200, url
    result = {"queries": len(found["all"]), "multi_shard": sorted(set(found["multi_shard"]))}
    REPORT.parent.mkdir(exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as out:
        single = result["queries"] - len(found["multi_shard"])
        out.write(f"{url:<60} {result['queries']:>7} {single:>12} {len(found['multi_shard']):>12}\n")
    return result


def test_a_caseworkers_pages_run_every_query_on_one_shard(client, caseworker_a, case_a, sent_referral):  # noqa: F811
    client.force_login(caseworker_a)
    pages = {
        "dashboard": reverse("core:dashboard"),
        "my cases": reverse("cases:workspace"),
        "case list": reverse("cases:list"),
        "case page": reverse("cases:detail", args=[case_a.pk]),
        "person page": reverse("people:detail", args=[case_a.person_id]),
        "person list": reverse("people:list"),
        "referrals": reverse("referrals:list"),
        "referral page": reverse("referrals:detail", args=[sent_referral.pk]),
        "API persons": "/api/v1/persons/",
        "API cases": "/api/v1/cases/",
    }
    found = {name: reach(client, url) for name, url in pages.items()}
    assert {name: r["multi_shard"] for name, r in found.items() if r["multi_shard"]} == {}
    assert all(r["queries"] > 0 for r in found.values())


def test_the_receivers_referral_pages_run_on_one_shard(client, caseworker_b, sent_referral):  # noqa: F811
    client.force_login(caseworker_b)
    for url in (reverse("referrals:list"), reverse("referrals:detail", args=[sent_referral.pk])):
        assert reach(client, url)["multi_shard"] == []


def test_a_coordinators_plan_pages_run_on_one_shard(client, bm_coordinator, bm_plan):
    client.force_login(bm_coordinator)
    period = bm_plan.periods.order_by("start_date").first()
    pages = [
        reverse("plans:list"),
        reverse("plans:detail", args=[bm_plan.pk]),
        reverse("plans:indicators", args=[bm_plan.pk]),
    ]
    if period is not None:
        pages.append(reverse("plans:period", args=[bm_plan.pk, period.code]))
    for url in pages:
        assert reach(client, url)["multi_shard"] == [], url


def test_the_national_hsds_feed_is_the_allowed_cross_tenant_read(client, baia_mare, balti, org_a, balti_org):
    from carenet.directory.models import Service

    Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina socială")
    Service.objects.create(municipality=balti, organisation=balti_org, name="Centrul de zi")
    assert reach(client, "/api/hsds/services")["multi_shard"] != []
    assert reach(client, f"/api/hsds/{baia_mare.slug}/services")["multi_shard"] == []


def test_an_audit_event_is_written_on_the_shard_of_the_change(caseworker_a, case_a):
    from carenet.audit.services import audit_record

    with routing() as found:
        audit_record(action="test.routing", actor=caseworker_a, obj=case_a)
    assert len([sql for sql in found["all"] if "audit_auditevent" in sql]) == 2
    assert found["multi_shard"] == []
