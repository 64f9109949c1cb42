"""Schemathesis over the OpenAPI schema (issue 26, "Must show"): every operation, bounded examples, as a
caseworker (with the session and its CSRF token, as the browser sends them) and as an anonymous visitor.

Fails on any 5xx and on any response the schema does not describe: an undocumented status code, a
content type or a body that does not match. The figures (cases, 5xx, mismatches) are printed, and the
failures listed by operation. Part of `make test` (marker ``schemathesis``); EXAMPLES bounds the run
(~1 minute on 2 cores).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.schemathesis

EXAMPLES = int(os.environ.get("CARENET_SCHEMATHESIS_EXAMPLES", "4"))  # per operation and user
CONFORMANCE = [content_type_conformance, response_schema_conformance, status_code_conformance]


def _schema() -> Any:
    from drf_spectacular.generators import SchemaGenerator

    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    schema.app = get_wsgi_application()
    return schema


def _session(user: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(cookies, headers) of a signed-in browser: the session and a CSRF token."""
    token = _get_new_csrf_string()
    cookies = {"csrftoken": token}
    headers = {"X-CSRFToken": token}
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies, headers


def _run(schema: Any, cookies: dict[str, str], headers: dict[str, str], tally: Counter, failures: list[str]) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def one(case: Any) -> None:
            cache.clear()  # rate limits belong to their own tests
            response = case.call(cookies=cookies, headers=headers)
            tally["cases"] += 1
            for kind, checks in (("5xx", [not_a_server_error]), ("mismatches", CONFORMANCE)):
                try:
                    case.validate_response(response, checks=checks)
                except (Failure, FailureGroup) as exc:
                    found = exc.exceptions if isinstance(exc, FailureGroup) else (exc,)
                    tally[kind] += 1
                    for failure in found:
                        title = f"{kind} {case.operation.label} [{response.status_code}] {failure.title}"
                        failures.append(f"{title}: {(failure.message or '')[:600]}")
                    return

        one()


@pytest.fixture
def connections_kept_open():
    """Schemathesis calls the WSGI application itself, so Django's request signals close the database connection
    after each request (CONN_MAX_AGE = 0) — inside the test's transaction on PostgreSQL. Django's test client
    disconnects the same handler while it serves a request; so does this fixture, for the whole run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_answers_as_its_schema_says_and_never_5xx(
    db, connections_kept_open, caseworker_a, person_a, case_a, service_a
):
    schema = _schema()
    tally: Counter = Counter()
    failures: list[str] = []
    for user in (caseworker_a, None):
        cookies, headers = _session(user)
        _run(schema, cookies, headers, tally, failures)
    print("\n".join(failures))
    print(f"schemathesis: {tally['cases']} cases, {tally['5xx']} 5xx, {tally['mismatches']} mismatches")
    distinct = sorted({f.split(": ")[0] for f in failures})
    assert not failures, f"{tally['5xx']} 5xx, {tally['mismatches']} mismatches:\n" + "\n".join(
        [*distinct, "", "first failures:", *failures[:20]]
    )
    assert tally["cases"] >= 100


def test_an_api_path_no_view_answers_gets_the_json_error_shape(client, db):
    """Was Django's HTML "Page not found" (an unknown municipality slug with a space, a malformed id)."""
    response = client.get("/api/hsds/no such town/services")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"field": "", "message": "Not found."}]}
    assert "text/html" in client.get("/no-such-page/").headers["Content-Type"]


def test_the_schema_documents_the_refusals_of_each_operation():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert {"200", "401", "403", "404", "429"} <= set(paths["/api/v1/persons/{id}/"]["get"]["responses"])
    assert {"201", "400", "401", "403", "404", "429"} <= set(paths["/api/v1/cases/"]["post"]["responses"])
    assert "429" in paths["/api/hsds/services"]["get"]["responses"]
    error = paths["/api/v1/persons/{id}/"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
