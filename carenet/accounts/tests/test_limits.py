"""Issue 26, Low 10: limits that hold — forwarded headers only from the proxy, password reset and API
throttled, a cache shared between processes."""

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory, override_settings

from carenet.core.middleware import client_ip
from config.settings.base import cache_settings

TOO_MANY = 429


pytestmark = pytest.mark.usefixtures("empty_cache")


def test_x_real_ip_from_anyone_is_ignored(settings):
    settings.CARENET_TRUSTED_PROXIES = ["10.0.0.2"]
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_REAL_IP="203.0.113.1")
    assert client_ip(request) == "198.51.100.7"


def test_x_real_ip_from_the_configured_proxy_is_the_client(settings):
    settings.CARENET_TRUSTED_PROXIES = ["10.0.0.2"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.1")
    assert client_ip(request) == "203.0.113.1"


def test_password_reset_is_throttled_whatever_x_real_ip_says(client, caseworker_a):
    statuses = [
        client.post(
            "/account/password/reset/",
            {"email": caseworker_a.email},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_REAL_IP=f"203.0.113.{i}",
        ).status_code
        for i in range(25)
    ]
    assert statuses[:3] == [302] * 3
    assert statuses[3:] == [TOO_MANY] * 22


def test_password_reset_is_throttled_per_address_across_e_mails(client, db):
    statuses = [
        client.post("/account/password/reset/", {"email": f"x{i}@test.local"}, REMOTE_ADDR="198.51.100.8").status_code
        for i in range(10)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [TOO_MANY] * 5


def test_the_api_is_throttled(api, caseworker_a, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/min"},
    }
    api.force_authenticate(caseworker_a)
    statuses = [api.get("/api/v1/persons/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, TOO_MANY, TOO_MANY]


def test_the_cache_is_redis_when_configured_and_the_database_otherwise():
    assert cache_settings({"REDIS_URL": "redis://cache:6379/1"})["default"]["BACKEND"] == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert cache_settings({})["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "carenet_cache",
    }


def test_the_database_cache_table_is_made_by_the_migrations_and_shared(db):
    assert "carenet_cache" in connection.introspection.table_names()
    # Two processes = two cache objects on one table: a count made by one is seen by the other.
    one, two = (DatabaseCache("carenet_cache", {}) for _ in range(2))
    one.add("limit", 1, 60)
    one.incr("limit")
    assert two.incr("limit") == 3


@override_settings(CACHES=cache_settings({}))
def test_the_throttles_count_in_the_database_cache(client, db):
    statuses = [
        client.post("/account/password/reset/", {"email": f"y{i}@test.local"}, REMOTE_ADDR="198.51.100.9").status_code
        for i in range(6)
    ]
    assert statuses[-1] == TOO_MANY
